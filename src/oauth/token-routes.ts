import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { authenticateClient, presentedClientCredentials } from './clients.js';
import { startDeviceAuthorization } from './device.js';
import { introspectToken } from './introspect.js';
import { serverMetadata } from './metadata.js';
import { oauthParams } from './params.js';
import { takeTokenRequest } from './rate-limit.js';
import { revokePresentedToken } from './revoke.js';
import { exchangeToken } from './token.js';

const tags = ['OAuth'];
const OAuthError = Type.Object({ error: Type.String(), error_description: Type.String() });
const TokenReply = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    refresh_token: Type.Optional(Type.String()),
    scope: Type.String(),
    created_at: Type.Integer({ description: 'Unix time, seconds (Gumroad)' }),
    expires_in: Type.Optional(Type.Integer({ description: "Only when the application sets an access token lifetime" })),
  },
  { additionalProperties: false },
);
const IntrospectionReply = Type.Object({ active: Type.Boolean() }, { additionalProperties: true, description: 'RFC 7662 §2.2' });
const DeviceAuthorizationReply = Type.Object({
  device_code: Type.String(),
  user_code: Type.String(),
  verification_uri: Type.String(),
  verification_uri_complete: Type.String(),
  expires_in: Type.Integer(),
  interval: Type.Integer(),
});
const FormBody = Type.Object({}, { additionalProperties: true });

/**
 * The OAuth 2.0 endpoints machines call: token (RFC 6749), revocation (RFC 7009), introspection
 * (RFC 7662), device authorization (RFC 8628) and server metadata (RFC 8414). Form or JSON bodies.
 */
export const oauthTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  // Grants waiting for their group commit are answered before the database closes.
  app.addHook('onClose', async () => ctx.clientCredentials.idle());
  // Tokens and codes pass through these answers: never cached (RFC 6749 §5.1).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/oauth/')) reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done(null, payload);
  });
  // Every parameter travels in a form body (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1, RFC 8628
  // §3.1): no Content-Type, or a body that is not a set of parameters, is invalid_request (not 415).
  app.addHook('preValidation', (request, _reply, done) => {
    const body = request.body;
    if (request.method === 'POST' && (!request.headers['content-type'] || !body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))) {
      return done(new TesseraError('OAUTH_INVALID_REQUEST', 'Send the parameters in an application/x-www-form-urlencoded body (a JSON object is accepted too).'));
    }
    done();
  });

  app.post('/oauth/token', {
    schema: {
      tags,
      summary: 'Exchange a code, refresh token, device code or client credentials for tokens',
      body: FormBody,
      response: { 200: TokenReply, 400: OAuthError, 401: OAuthError, 429: OAuthError },
    },
    handler: async (request) => {
      const params = oauthParams(request);
      const credentials = presentedClientCredentials(request, params);
      await takeTokenRequest(ctx, request.ip, credentials.clientId);
      return exchangeToken(ctx, credentials, params, actorOf(request));
    },
  });

  app.post('/oauth/revoke', {
    schema: {
      tags,
      summary: 'Revoke an access or refresh token (RFC 7009): 200 with an empty JSON object, as Doorkeeper answers',
      body: FormBody,
      response: { 200: Type.Object({}, { additionalProperties: false }), 400: OAuthError, 401: OAuthError },
    },
    handler: async (request) => {
      const params = oauthParams(request);
      const client = await authenticateClient(ctx, request, params, false);
      await revokePresentedToken(ctx, client, params.token, actorOf(request));
      return {};
    },
  });

  app.post('/oauth/introspect', {
    schema: { tags, summary: 'Introspect a token issued to the calling client (RFC 7662)', body: FormBody, response: { 200: IntrospectionReply, 401: OAuthError } },
    handler: async (request) => {
      const params = oauthParams(request);
      const client = await authenticateClient(ctx, request, params, true);
      return introspectToken(ctx, client, params.token);
    },
  });

  app.post('/oauth/device_authorization', {
    schema: { tags, summary: 'Start the device flow (RFC 8628)', body: FormBody, response: { 200: DeviceAuthorizationReply, 400: OAuthError, 401: OAuthError } },
    handler: async (request) => {
      const params = oauthParams(request);
      const client = await authenticateClient(ctx, request, params, false);
      return startDeviceAuthorization(ctx, client, params.scope);
    },
  });

  app.get('/.well-known/oauth-authorization-server', {
    schema: { tags, summary: 'Authorization server metadata (RFC 8414)' },
    handler: async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(serverMetadata(ctx.config.publicUrl)),
  });
};
