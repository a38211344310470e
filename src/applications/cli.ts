import { CLI_ACTOR } from '../context.js';
import { intOption, type Command } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import { TesseraError } from '../http/errors.js';
import * as applications from './store.js';
import { createApplication, deleteApplication, generateOwnerToken, listApplications, regenerateClientSecret } from './service.js';

async function ownerOf(ctx: Parameters<Command['run']>[0], appId: string): Promise<string> {
  const app = await applications.findById(ctx.db, appId);
  if (!app || app.deleted_at !== null) throw new TesseraError('APPLICATION_NOT_FOUND');
  return app.owner_id;
}

const appOption = { type: 'string', required: true, description: 'Application id' } as const;

export const applicationCommands: Command[] = [
  {
    name: 'app create',
    summary: 'Create an OAuth application (the client secret is printed once)',
    options: {
      email: { type: 'string', required: true, description: "Owner's email" },
      name: { type: 'string', required: true, description: 'Application name' },
      'redirect-uri': { type: 'string', required: true, description: 'Absolute URL, e.g. http://127.0.0.1' },
    },
    async run(ctx, o) {
      const owner = await requireUserByEmail(ctx, String(o.email));
      const { application, clientSecret } = await createApplication(ctx, owner.id, { name: String(o.name), redirect_uri: String(o['redirect-uri']) }, CLI_ACTOR);
      return { id: application.id, client_id: application.client_id, client_secret: clientSecret };
    },
    describe: (r) => `Application ${r.id}\nclient_id     ${r.client_id}\nclient_secret ${r.client_secret}  (shown once)`,
  },
  {
    name: 'app list',
    summary: "List a user's applications",
    options: { email: { type: 'string', required: true, description: "Owner's email" } },
    async run(ctx, o) {
      const owner = await requireUserByEmail(ctx, String(o.email));
      return { applications: await listApplications(ctx, owner.id) };
    },
    describe: (r) => r.applications.map((a: { id: string; name: string; client_id: string }) => `${a.id}  ${a.name}  ${a.client_id}`).join('\n') || 'No applications.',
  },
  {
    name: 'app token',
    summary: 'Generate access token (printed once; the previous one stops working)',
    options: {
      app: appOption,
      scopes: { type: 'string', description: 'Space-separated scopes (default: the public set)' },
      'expires-in': { type: 'string', description: 'Seconds until the token expires (default: never)' },
    },
    async run(ctx, o) {
      const appId = String(o.app);
      const issued = await generateOwnerToken(
        ctx,
        await ownerOf(ctx, appId),
        appId,
        { scopes: o.scopes === undefined ? undefined : String(o.scopes), expires_in: intOption(o['expires-in'], 'expires-in') ?? null },
        CLI_ACTOR,
      );
      return { access_token: issued.accessToken, scopes: issued.scopes };
    },
    describe: (r) => `${r.access_token}\nscopes: ${r.scopes.join(' ')}`,
  },
  {
    name: 'app secret',
    summary: 'Regenerate the client secret (printed once)',
    options: { app: appOption },
    async run(ctx, o) {
      const appId = String(o.app);
      return { client_secret: await regenerateClientSecret(ctx, await ownerOf(ctx, appId), appId, CLI_ACTOR) };
    },
  },
  {
    name: 'app delete',
    summary: 'Delete an application and revoke every token tied to it',
    options: { app: appOption },
    async run(ctx, o) {
      const appId = String(o.app);
      const { revokedTokens } = await deleteApplication(ctx, await ownerOf(ctx, appId), appId, CLI_ACTOR);
      return { deleted: true, revoked_tokens: revokedTokens };
    },
    describe: (r) => `Deleted; ${r.revoked_tokens} token(s) revoked.`,
  },
];
