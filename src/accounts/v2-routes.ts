import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireScope } from '../auth/plugin.js';
import { READ_SCOPES } from '../auth/scopes.js';
import { presentV2User } from './v2-user.js';

/** GET /v2/user (contract §3.1). */
export const v2UserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/user', {
    schema: {
      tags: ['API v2'],
      summary: 'The user the access token acts for',
      response: { 200: Type.Object({ success: Type.Literal(true), user: Type.Record(Type.String(), Type.Unknown()) }) },
    },
    preValidation: requireScope(...READ_SCOPES),
    handler: async (request) => ({
      success: true as const,
      user: await presentV2User(app.ctx, request.principal!.user, request.principal!.scopes),
    }),
  });
};
