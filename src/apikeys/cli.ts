import { CLI_ACTOR } from '../context.js';
import { intOption, type Command } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import * as accounts from '../accounts/store.js';
import { regenerateApiKey } from './regenerate.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from './service.js';

const email = { type: 'string', required: true, description: 'Email of the account acting (the owner, or a team owner or admin)' } as const;
const keyOption = { type: 'string', required: true, description: 'API key id' } as const;

export const apiKeyCommands: Command[] = [
  {
    name: 'apikey create',
    summary: 'Create a personal (or, with --team, a team) API key; printed once',
    options: {
      email,
      name: { type: 'string', required: true, description: 'Key name' },
      team: { type: 'string', description: 'Team id: make a team key' },
      scopes: { type: 'string', description: 'Space-separated: flows:run (default), flows:read' },
      'expires-in': { type: 'string', description: 'Seconds until the key expires (default: never)' },
    },
    async run(ctx, o) {
      const user = await requireUserByEmail(ctx, String(o.email));
      const { key, apiKey } = await createApiKey(
        ctx,
        user.id,
        {
          name: String(o.name),
          team_id: o.team === undefined ? undefined : String(o.team),
          scopes: o.scopes === undefined ? undefined : String(o.scopes).split(/[\s,]+/).filter(Boolean),
          expires_in: intOption(o['expires-in'], 'expires-in') ?? null,
        },
        CLI_ACTOR,
      );
      const owner = (await accounts.findUserById(ctx.db, user.id))!;
      return { api_key: apiKey, key, user_id: owner.external_id };
    },
    describe: (r) => `${r.api_key}\nid ${r.key.id}, scopes ${r.key.scopes.join(' ')}; your user_id: ${r.user_id}`,
  },
  {
    name: 'apikey list',
    summary: "List an account's personal keys (or a team's with --team)",
    options: { email, team: { type: 'string', description: 'Team id' } },
    async run(ctx, o) {
      const user = await requireUserByEmail(ctx, String(o.email));
      return { keys: await listApiKeys(ctx, user.id, o.team === undefined ? undefined : String(o.team)) };
    },
    describe: (r) =>
      (r.keys as ApiKey[]).map((k) => `${k.id}  ${k.hint}  ${k.name}  last used ${k.last_used_at ?? 'never'}${k.expires_at ? '  expires ' + k.expires_at : ''}`).join('\n') || 'No keys.',
  },
  {
    name: 'apikey regenerate',
    summary: 'New secret for a key (printed once); the old one dies at once or after --grace seconds (≤ 86400)',
    options: { email, key: keyOption, grace: { type: 'string', description: 'Seconds the old secret keeps working (default 0)' } },
    async run(ctx, o) {
      const user = await requireUserByEmail(ctx, String(o.email));
      const { key, apiKey } = await regenerateApiKey(ctx, user.id, String(o.key), { grace_seconds: intOption(o.grace, 'grace') }, CLI_ACTOR);
      return { api_key: apiKey, key };
    },
    describe: (r) => `${r.api_key}${r.key.previous_valid_until ? `\nthe old secret works until ${r.key.previous_valid_until}` : ''}`,
  },
  {
    name: 'apikey revoke',
    summary: 'Revoke an API key at once',
    options: { email, key: keyOption },
    async run(ctx, o) {
      const user = await requireUserByEmail(ctx, String(o.email));
      await revokeApiKey(ctx, user.id, String(o.key), CLI_ACTOR);
      return { revoked: true };
    },
    describe: () => 'Revoked.',
  },
];
