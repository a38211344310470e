import type { FastifyInstance } from 'fastify';
import { oauthAuthorizeRoutes } from './authorize-routes.js';
import { authorizedApplicationRoutes } from './authorized-applications-routes.js';
import { oauthDeviceRoutes } from './device-routes.js';
import { oauthTokenInfoRoutes } from './token-info-routes.js';
import { oauthTokenRoutes } from './token-routes.js';

/** The OAuth 2.0 authorization server: pages, protocol endpoints and "Authorized applications". */
export async function oauthPlugin(app: FastifyInstance): Promise<void> {
  await app.register(oauthAuthorizeRoutes);
  await app.register(oauthDeviceRoutes);
  await app.register(oauthTokenRoutes);
  await app.register(oauthTokenInfoRoutes);
  await app.register(authorizedApplicationRoutes);
}
