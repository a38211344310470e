import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireFreshSecondFactor } from '../accounts/second-factor.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { ErrorReply } from '../http/schemas.js';
import * as service from './service.js';
import {
  ApplicationListReply,
  ApplicationParams,
  ApplicationReply,
  CreateApplicationBody,
  CreatedApplicationReply,
  DeletedApplicationReply,
  GenerateTokenBody,
  SecretReply,
  TokenReply,
  UpdateApplicationBody,
} from './schemas.js';
import { isoTime } from '../util/dates.js';

const tags = ['Applications'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };

/** Settings → Advanced → Applications, as a session-authenticated JSON API. */
export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);

  app.post('/api/applications', {
    schema: { tags, summary: 'Create an application (client secret shown once)', body: CreateApplicationBody, response: { 201: CreatedApplicationReply, ...errors } },
    handler: async (request, reply) => {
      const { application, clientSecret } = await service.createApplication(ctx, request.user!.id, request.body, actorOf(request));
      return reply.code(201).send({ success: true as const, application, client_secret: clientSecret });
    },
  });

  app.get('/api/applications', {
    schema: { tags, summary: 'List your applications', response: { 200: ApplicationListReply, 401: ErrorReply } },
    handler: async (request) => ({ success: true as const, applications: await service.listApplications(ctx, request.user!.id) }),
  });

  app.get('/api/applications/:id', {
    schema: { tags, summary: 'Show an application', params: ApplicationParams, response: { 200: ApplicationReply, ...errors } },
    handler: async (request) => ({ success: true as const, application: await service.getApplication(ctx, request.user!.id, request.params.id) }),
  });

  app.get('/api/applications/:id/icon', {
    schema: { tags, summary: "An application's icon", params: ApplicationParams },
    handler: async (request, reply) => {
      const icon = await service.getApplicationIcon(ctx, request.user!.id, request.params.id);
      return reply.type(icon.type).header('cache-control', 'private, max-age=300').send(icon.bytes);
    },
  });

  app.patch('/api/applications/:id', {
    schema: { tags, summary: 'Update an application', params: ApplicationParams, body: UpdateApplicationBody, response: { 200: ApplicationReply, ...errors } },
    handler: async (request) => ({
      success: true as const,
      application: await service.updateApplication(ctx, request.user!.id, request.params.id, request.body, actorOf(request)),
    }),
  });

  app.delete('/api/applications/:id', {
    schema: { tags, summary: 'Delete an application and revoke all its tokens', params: ApplicationParams, response: { 200: DeletedApplicationReply, ...errors } },
    handler: async (request) => {
      const { revokedTokens } = await service.deleteApplication(ctx, request.user!.id, request.params.id, actorOf(request));
      return { success: true as const, deleted: true as const, revoked_tokens: revokedTokens };
    },
  });

  app.post('/api/applications/:id/secret', {
    schema: { tags, summary: 'Regenerate the client secret (shown once)', params: ApplicationParams, response: { 200: SecretReply, ...errors } },
    handler: async (request) => {
      // With a second factor: proved in the last minutes (POST /api/session/step-up), else 403.
      requireFreshSecondFactor(ctx, request.user!);
      return {
        success: true as const,
        client_secret: await service.regenerateClientSecret(ctx, request.user!.id, request.params.id, actorOf(request)),
      };
    },
  });

  app.post('/api/applications/:id/token', {
    schema: {
      tags,
      summary: 'Generate access token (shown once; invalidates the previous one)',
      params: ApplicationParams,
      body: GenerateTokenBody,
      response: { 201: TokenReply, ...errors },
    },
    handler: async (request, reply) => {
      const issued = await service.generateOwnerToken(ctx, request.user!.id, request.params.id, request.body ?? {}, actorOf(request));
      return reply.code(201).send({
        success: true as const,
        access_token: issued.accessToken,
        token: { id: issued.id, scopes: issued.scopes, created_at: isoTime(issued.createdAt), expires_at: isoTime(issued.expiresAt) },
      });
    },
  });
};
