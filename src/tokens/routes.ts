import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../http/schemas.js';
import { actorOf, requireScope, requireSession } from '../auth/plugin.js';
import { describeToken, listUserTokens, revokeUserToken } from './service.js';

const AuthorizedToken = Type.Object({
  id: Type.String(),
  application_id: Type.String(),
  application_name: Type.String(),
  kind: Type.Union([Type.Literal('owner'), Type.Literal('oauth')]),
  scopes: Type.Array(Type.String()),
  hint: Type.String({ description: 'The first characters only.' }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
});

/** The tokens acting on your account (session), and what a token knows of itself (v2). */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get('/api/tokens', {
    schema: {
      tags: ['Applications'],
      summary: 'Access tokens that act on your account, with their application',
      response: { 200: Type.Object({ success: Type.Literal(true), tokens: Type.Array(AuthorizedToken) }), 401: ErrorReply },
    },
    preValidation: requireSession,
    handler: async (request) => ({ success: true as const, tokens: await listUserTokens(ctx, request.user!.id) }),
  });

  app.delete('/api/tokens/:id', {
    schema: {
      tags: ['Applications'],
      summary: 'Revoke one access token',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: Type.Object({ success: Type.Literal(true), revoked: Type.Literal(true) }), 401: ErrorReply, 404: ErrorReply },
    },
    preValidation: requireSession,
    handler: async (request) => {
      await revokeUserToken(ctx, request.user!.id, request.params.id, actorOf(request));
      return { success: true as const, revoked: true as const };
    },
  });
};

/** GET /v2/meta (beyond Gumroad): the calling token's application, scopes and times. */
export const tokenMetaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.get('/meta', {
    schema: {
      tags: ['API v2'],
      summary: 'The calling access token: application, scopes, creation, expiry, last use',
      response: {
        200: Type.Object({
          success: Type.Literal(true),
          token: Type.Object({
            application: Type.Object({ id: Type.String(), name: Type.String(), client_id: Type.String() }),
            kind: Type.String(),
            scopes: Type.Array(Type.String()),
            created_at: Type.String(),
            expires_at: Type.Union([Type.String(), Type.Null()]),
            last_used_at: Type.Union([Type.String(), Type.Null()]),
          }),
        }),
        401: ErrorReply,
      },
    },
    preValidation: requireScope(),
    handler: async (request) => ({ success: true as const, token: await describeToken(ctx, request.principal!) }),
  });
};
