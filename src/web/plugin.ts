import type { FastifyError, FastifyInstance } from 'fastify';
import { h } from 'preact';
import { TesseraError } from '../http/errors.js';
import { pageStatus } from './errors.js';
import { ErrorPage } from './pages/error.js';
import { sendPage } from './render.js';
import { apiKeyPages } from './routes/api-keys.js';
import { applicationPages } from './routes/applications.js';
import { authorizedApplicationPages } from './routes/authorized-applications.js';
import { flowPages } from './routes/flows.js';
import { homePages } from './routes/home.js';
import { productPages } from './routes/products.js';
import { publicProductPages } from './routes/public-product.js';
import { publicProfilePages } from './routes/public-profile.js';
import { salesPages } from './routes/sales.js';
import { activationPages } from './routes/activations.js';
import { adminPages } from './routes/admin.js';
import { sessionPages } from './routes/session.js';
import { securityPages } from './routes/security.js';
import { teamPages } from './routes/teams.js';
import { webhookPages } from './routes/webhooks.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { staticFiles } from './static-files.js';
import { named } from '../http/plugin-name.js';

/**
 * The server-rendered dashboard at `/`. Its routes answer in HTML, errors included: a
 * failure becomes a page with the status, never a JSON body.
 */
export async function webPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('viewer', null);
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.setErrorHandler((error: FastifyError | TesseraError, request, reply) => {
    let status = error instanceof TesseraError ? pageStatus(error) : (error.statusCode ?? 500);
    let message = error.message;
    if (error instanceof TesseraError && error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
    if (status >= 500 || status < 400) {
      request.log.error({ err: error }, 'dashboard page failure');
      status = 500;
      message = 'Something went wrong on our side. Try again in a moment.';
    }
    return sendPage(reply, h(ErrorPage, { viewer: request.viewer, status, message }), status);
  });

  await app.register(named(staticFiles));
  await app.register(named(sessionPages));
  await app.register(named(homePages));
  await app.register(named(applicationPages));
  await app.register(named(authorizedApplicationPages));
  await app.register(named(productPages));
  await app.register(named(salesPages));
  await app.register(named(publicProductPages));
  await app.register(named(publicProfilePages));
  await app.register(named(activationPages));
  await app.register(named(apiKeyPages));
  await app.register(named(flowPages));
  await app.register(named(teamPages));
  await app.register(named(webhookPages));
  await app.register(named(securityPages));
  await app.register(named(adminPages));
}
