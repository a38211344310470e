import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requireSession } from '../auth/plugin.js';
import { ErrorReply } from '../http/schemas.js';
import { listAuthorizedApplications, revokeAuthorizedApplication } from './authorized-applications-service.js';

const tags = ['Authorized applications'];
const AuthorizedApplication = Type.Object({
  application_id: Type.String(),
  name: Type.String(),
  icon_url: Type.Union([Type.String(), Type.Null()]),
  owner: Type.String(),
  scopes: Type.Array(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The third-party applications acting on the logged-in account (session JSON API). */
export const authorizedApplicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);

  app.get('/api/authorized-applications', {
    schema: {
      tags,
      summary: 'Applications holding OAuth access to your account',
      response: { 200: Type.Object({ success: Type.Literal(true), authorized_applications: Type.Array(AuthorizedApplication) }), 401: ErrorReply },
    },
    handler: async (request) => ({ success: true as const, authorized_applications: await listAuthorizedApplications(ctx, request.user!.id) }),
  });

  app.delete('/api/authorized-applications/:applicationId', {
    schema: {
      tags,
      summary: "Revoke an application's access: every token and refresh token it holds for you",
      params: Type.Object({ applicationId: Type.String({ maxLength: 100 }) }),
      response: {
        200: Type.Object({ success: Type.Literal(true), message: Type.String(), revoked_tokens: Type.Integer() }),
        401: ErrorReply,
        404: ErrorReply,
      },
    },
    handler: async (request) => {
      const { revokedTokens } = await revokeAuthorizedApplication(ctx, request.user!.id, request.params.applicationId, actorOf(request));
      return { success: true as const, message: 'Authorized application revoked', revoked_tokens: revokedTokens };
    },
  });
};
