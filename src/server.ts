import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.js';
import { accountRoutes } from './accounts/routes.js';
import { adminRoutes } from './admin/routes.js';
import { signUpRoutes } from './admin/signup-routes.js';
import { v2UserRoutes } from './accounts/v2-routes.js';
import { applicationRoutes } from './applications/routes.js';
import { auditRoutes } from './audit/routes.js';
import { catalogRoutes } from './catalog/routes.js';
import { flowsApiPlugin, flowsSessionPlugin } from './flows/plugin.js';
import { salesApiRoutes } from './sales/routes.js';
import { authPlugin } from './auth/plugin.js';
import { registerApiCors } from './http/cors.js';
import { installErrorHandler } from './http/error-handler.js';
import { inputGuardError, jsonBodyError } from './http/input-guard.js';
import { registerMultipartParser } from './http/multipart.js';
import { fastifyTimeoutOptions } from './http/timeouts.js';
import { loggerOptions } from './http/logger.js';
import { fastifyTrustProxy } from './http/trust-proxy.js';
import { licenseRoutes } from './licenses/routes.js';
import { lemonSqueezyRoutes } from './lemonsqueezy/routes.js';
import { activationRoutes, jwksRoutes } from './licenses/activation-routes.js';
import { oauthEndpointsPlugin, oauthSessionPlugin } from './oauth/plugin.js';
import { opsRoutes } from './ops/routes.js';
import { serializerCompiler } from './http/serialization.js';
import { validatorCompiler } from './http/validation.js';
import { tokenMetaRoutes, tokenRoutes } from './tokens/routes.js';
import { pageNotFound } from './web/not-found.js';
import { oauthPagesPlugin } from './web/oauth-pages.js';
import { webPlugin } from './web/plugin.js';
import { webhookApiRoutes } from './webhooks/routes.js';
import { named } from './http/plugin-name.js';

export interface ServerOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: { write(message: string): void };
}

/** The Gumroad-compatible API v2, mounted at /v2 and at the legacy /api/v2. */
async function v2Api(app: FastifyInstance): Promise<void> {
  await app.register(named(v2UserRoutes));
  await app.register(named(tokenMetaRoutes));
  await app.register(named(catalogRoutes));
  await app.register(named(salesApiRoutes));
  await app.register(named(licenseRoutes));
  await app.register(named(activationRoutes));
  await app.register(named(webhookApiRoutes));
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(ctx.config.logLevel, options.logStream),
    // Rails collapses repeated slashes; Gumroad clients built URLs that depend on it.
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
    ...fastifyTimeoutOptions(ctx.config.httpTimeouts),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Gumroad's documented calls are `curl … -d "access_token=…" -X GET`: parse bodies on GET too.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  // Clients send `Content-Type: application/json` on bodiless requests too (the Gumloop SDK on
  // GET /get_pl_run, curl -X DELETE): an empty JSON body is no body, not a 400.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    json(request, body as string, (err, parsed) => (err ? done(jsonBodyError(request, body as string)) : done(null, parsed)));
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  app.decorateRequest('mergedParameters', null);
  installErrorHandler(app, { pageNotFound });
  await app.register(formbody);
  registerMultipartParser(app);
  // The one hook every request runs (a callback hook: cheaper than an async one). A POST without a
  // body validates as an empty object, so "all parameters optional" holds; then the edge check of
  // src/http/input-guard.ts, ahead of every route's own hooks (authentication included).
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined || request.body === null) request.body = {};
    done(inputGuardError(request));
  });
  await app.register(named(authPlugin));
  await registerApiCors(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tessera API',
        version: '0.1.0',
        description:
          'Gumroad-compatible API v2 (token in `Authorization: Bearer`, or `access_token` in the query or body), ' +
          'the session-authenticated dashboard API under /api, and the OAuth 2.0 server.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(named(opsRoutes));
  // What a browser session reaches: cookies are parsed and set in this scope only, so no API
  // request pays for the cookie plugin's hooks.
  await app.register(named(async function sessionScope(session: FastifyInstance) {
    await session.register(cookie);
    await session.register(named(signUpRoutes));
    await session.register(named(accountRoutes));
    await session.register(named(adminRoutes));
    await session.register(named(applicationRoutes));
    await session.register(named(tokenRoutes));
    await session.register(named(auditRoutes));
    await session.register(named(flowsSessionPlugin));
    await session.register(named(oauthPagesPlugin));
    await session.register(named(oauthSessionPlugin));
    await session.register(named(webPlugin));
  }));
  await app.register(named(flowsApiPlugin));
  await app.register(named(oauthEndpointsPlugin));
  await app.register(named(v2Api), { prefix: '/v2' });
  await app.register(
    named(async function legacyV2Api(legacy: FastifyInstance) {
      // The legacy copy answers the same, but is left out of the OpenAPI document.
      legacy.addHook('onRoute', (route) => {
        route.schema = { ...(route.schema ?? {}), hide: true };
      });
      await legacy.register(named(v2Api));
    }),
    { prefix: '/api/v2' },
  );
  await app.register(named(lemonSqueezyRoutes), { prefix: '/v1/licenses' });
  await app.register(named(jwksRoutes));

  app.addHook('onClose', async () => ctx.usage.flush());
  if (ctx.config.webhooks.inProcessSender) {
    app.addHook('onReady', async () => ctx.webhooks.start(app.log));
    app.addHook('onClose', async () => ctx.webhooks.stop());
  }
  return app;
}
