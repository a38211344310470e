import type { FastifyInstance } from 'fastify';
import { authorizedApplicationRoutes } from './authorized-applications-routes.js';
import { oauthTokenInfoRoutes } from './token-info-routes.js';
import { oauthTokenRoutes } from './token-routes.js';
import { named } from '../http/plugin-name.js';

/**
 * Its session JSON API ("Authorized applications"). The pages a person uses (login, consent,
 * device code) are HTML, so they live with the dashboard's: src/web/oauth-pages.ts.
 */
export async function oauthSessionPlugin(app: FastifyInstance): Promise<void> {
  await app.register(named(authorizedApplicationRoutes));
}

/** Its protocol endpoints machines call (no cookies): token, revocation, introspection, device authorization, token info, metadata. */
export async function oauthEndpointsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(named(oauthTokenRoutes));
  await app.register(named(oauthTokenInfoRoutes));
}
