import type { FastifyInstance } from 'fastify';
import { oauthAuthorizeRoutes } from './authorize-routes.js';
import { authorizedApplicationRoutes } from './authorized-applications-routes.js';
import { oauthDeviceRoutes } from './device-routes.js';
import { oauthTokenInfoRoutes } from './token-info-routes.js';
import { oauthTokenRoutes } from './token-routes.js';

/** The OAuth 2.0 authorization server's pages a person uses (session cookie): consent, device code, "Authorized applications". */
export async function oauthPagesPlugin(app: FastifyInstance): Promise<void> {
  await app.register(oauthAuthorizeRoutes);
  await app.register(oauthDeviceRoutes);
  await app.register(authorizedApplicationRoutes);
}

/** Its protocol endpoints machines call (no cookies): token, revocation, introspection, device authorization, token info, metadata. */
export async function oauthEndpointsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(oauthTokenRoutes);
  await app.register(oauthTokenInfoRoutes);
}
