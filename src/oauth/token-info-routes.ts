import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { extractAccessToken } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { authenticateAccessToken, describeToken } from '../tokens/service.js';

const TokenInfo = Type.Object({
  resource_owner_id: Type.String(),
  scope: Type.Array(Type.String()),
  expires_in: Type.Union([Type.Integer(), Type.Null()], { description: 'Seconds left; null when the token never expires' }),
  application: Type.Object({ uid: Type.String() }),
  created_at: Type.Integer({ description: 'Unix time, seconds' }),
});
const InvalidToken = Type.Object({ error: Type.Literal('invalid_token'), error_description: Type.String() });

/**
 * Doorkeeper's GET /oauth/token/info: what the presented access token is (owner, scopes, expiry,
 * application uid). Gumroad clients call it to check a stored token; an invalid, revoked or
 * expired token is 401 `invalid_token` with the Bearer challenge.
 */
export const oauthTokenInfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.get('/oauth/token/info', {
    schema: { tags: ['OAuth'], summary: 'The presented access token (Doorkeeper token info)', response: { 200: TokenInfo, 401: InvalidToken } },
    handler: async (request, reply) => {
      try {
        const principal = await authenticateAccessToken(ctx, extractAccessToken(request));
        const token = await describeToken(ctx, principal);
        return {
          resource_owner_id: principal.userId,
          scope: token.scopes,
          expires_in: principal.expiresAt === null ? null : Math.max(0, Math.floor((principal.expiresAt - Date.now()) / 1000)),
          application: { uid: token.application.client_id },
          created_at: Math.floor(principal.createdAt / 1000),
        };
      } catch (err) {
        if (!(err instanceof TesseraError) || !err.code.startsWith('TOKEN_')) throw err;
        const { headers } = err.toResponse();
        return reply.code(401).headers(headers).send({ error: 'invalid_token' as const, error_description: err.message });
      }
    },
  });
};
