import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../http/schemas.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { FlowParams } from './schemas.js';
import { CreateTriggerBody, SchedulePreviewQuery, SchedulePreviewReply, TriggerListReply, TriggerParams, TriggerReply } from './trigger-schemas.js';
import { createTrigger, deleteTrigger, getTrigger, listTriggers, previewSchedule, type TriggerInput } from './trigger-service.js';

const tags = ['Flows'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };

/**
 * A flow's triggers for the seller (session JSON API), through the service the dashboard uses:
 * schedules (cron + timezone) and Tessera events. Another account's flow or trigger answers 404.
 */
export const triggerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);

  app.get('/api/flows/schedule-preview', {
    schema: { tags, summary: 'The next three due times of a cron expression (400 with the reason when it is not valid)', querystring: SchedulePreviewQuery, response: { 200: SchedulePreviewReply, ...errors } },
    handler: async (request) => ({ success: true as const, ...previewSchedule(ctx, request.query.cron, request.query.timezone ?? 'UTC') }),
  });

  app.get('/api/flows/:id/triggers', {
    schema: { tags, summary: 'A flow’s triggers, with their next due times and last run', params: FlowParams, response: { 200: TriggerListReply, ...errors } },
    handler: async (request) => ({ success: true as const, triggers: await listTriggers(ctx, request.user!.id, request.params.id) }),
  });

  app.post('/api/flows/:id/triggers', {
    schema: { tags, summary: 'Add a schedule or event trigger (owners and admins of a team flow)', params: FlowParams, body: CreateTriggerBody, response: { 201: TriggerReply, ...errors } },
    handler: async (request, reply) => {
      const { kind, cron, timezone, event } = request.body;
      const input: TriggerInput = kind === 'schedule' ? { kind, cron: cron ?? '', ...(timezone !== undefined ? { timezone } : {}) } : { kind, event: event ?? '' };
      return reply.code(201).send({ success: true as const, trigger: await createTrigger(ctx, request.user!.id, request.params.id, input, actorOf(request)) });
    },
  });

  app.get('/api/flows/:id/triggers/:triggerId', {
    schema: { tags, summary: 'One trigger', params: TriggerParams, response: { 200: TriggerReply, ...errors } },
    handler: async (request) => ({ success: true as const, trigger: await getTrigger(ctx, request.user!.id, request.params.id, request.params.triggerId) }),
  });

  app.delete('/api/flows/:id/triggers/:triggerId', {
    schema: { tags, summary: 'Delete a trigger (its runs stay in the history)', params: TriggerParams, response: { 200: Type.Object({ success: Type.Literal(true) }), ...errors } },
    handler: async (request) => {
      await deleteTrigger(ctx, request.user!.id, request.params.id, request.params.triggerId, actorOf(request));
      return { success: true as const };
    },
  });
};
