import fs from 'node:fs';
import { CLI_ACTOR } from '../context.js';
import { UsageError, type Command } from '../cli/command.js';
import { importLicenses } from './import.js';
import { listSigningKeys, rotateSigningKey } from './license-file-keys.js';
import { progressBar } from '../cli/progress.js';
import { isoTime } from '../util/dates.js';

export const licenseCommands: Command[] = [
  {
    name: 'import-licenses',
    summary: 'Import customers with their existing license keys from a CSV (all rows or none)',
    positionals: 'FILE.csv',
    options: { product: { type: 'string', required: true, description: 'Licensed product id or permalink' } },
    async run(ctx, o, positionals) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('Give one CSV file: tessera import-licenses --product ID FILE.csv (columns: email, license_key, and optionally full_name, uses, created_at).');
      let csv: string;
      try {
        csv = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
      }
      // On a terminal (and without --json) a bar on stderr: rows done, rows/s, time left.
      const bar = progressBar(o.json ? { isTTY: false, write: () => true } : process.stderr);
      const started = performance.now();
      try {
        const result = await importLicenses(ctx, { product: String(o.product), csv, actor: CLI_ACTOR, onProgress: (phase, done, total) => bar.update(phase === 'checking' ? 'Checking keys' : 'Importing    ', done, total) });
        // Kept out of the --json object: only the summary line shows it.
        return Object.defineProperty(result, 'seconds', { value: (performance.now() - started) / 1000, enumerable: false });
      } finally {
        bar.end();
      }
    },
    describe: (r) =>
      `Imported ${r.imported} customer${r.imported === 1 ? '' : 's'} with their license keys into product ${r.product_id}` +
      (r.seconds > 0 ? ` in ${r.seconds.toFixed(1)} s (${Math.round(r.imported / r.seconds)} rows/s).` : '.') +
      (r.ignored_columns.length ? `\nIgnored columns: ${r.ignored_columns.join(', ')}` : ''),
  },
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
