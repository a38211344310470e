import type { FastifyInstance } from 'fastify';
import { oauthAuthorizeRoutes } from './routes/oauth-authorize.js';
import { oauthDeviceRoutes } from './routes/oauth-device.js';
import { named } from '../http/plugin-name.js';

/**
 * The OAuth 2.0 authorization server's pages a person uses (session cookie): login, consent and
 * device code. Outside the dashboard's plugin (none of its hooks), with the same look; the
 * protocol they drive (authorization codes, device grants) is src/oauth's.
 */
export async function oauthPagesPlugin(app: FastifyInstance): Promise<void> {
  await app.register(named(oauthAuthorizeRoutes));
  await app.register(named(oauthDeviceRoutes));
}
