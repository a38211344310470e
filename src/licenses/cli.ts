import type { Command } from '../cli/command.js';
import { listSigningKeys, rotateSigningKey } from './license-file-keys.js';
import { isoTime } from '../util/dates.js';

export const licenseCommands: Command[] = [
  {
    name: 'license-keys rotate',
    summary: 'New Ed25519 key for license files; the old one stays in the JWKS until its last file expires',
    options: {},
    run: (ctx) => rotateSigningKey(ctx),
    describe: (r) => `Signing license files with ${r.kid} from now on.` + (r.retired.length ? `\nRetired: ${r.retired.join(', ')} (published until their last file expires).` : ''),
  },
  {
    name: 'license-keys list',
    summary: 'The signing keys of license files: current, retired, published in /.well-known/jwks.json',
    options: {},
    run: async (ctx) => ({ keys: await listSigningKeys(ctx) }),
    describe: (r) =>
      r.keys.length === 0
        ? 'No signing key yet: the first license file creates one.'
        : r.keys
            .map((k: { kid: string; retired_at: number | null; published: boolean; signed_until: number }) =>
              `${k.kid}  ${k.retired_at === null ? 'current' : 'retired ' + isoTime(k.retired_at)}  ${k.published ? 'published' : 'unpublished'}` +
              (k.signed_until ? `  files until ${isoTime(k.signed_until)}` : ''),
            )
            .join('\n'),
  },
];
