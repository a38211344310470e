import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../http/schemas.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { FlowDefinitionSchema } from './definition.js';
import { killRun } from './kill-run.js';
import { presentRun } from './present.js';
import * as runs from './runs-store.js';
import * as service from './service.js';
import { startRun } from './start-run.js';
import { STEP_TYPES } from './steps/index.js';
import { webhookUrl } from './webhook.js';
import {
  CreateFlowBody,
  CreateWorkbookBody,
  FlowListReply,
  FlowParams,
  FlowReply,
  RunListReply,
  RunParams,
  RunReply,
  StartRunBody,
  TeamQuery,
  UpdateFlowBody,
  WebhookBody,
  WebhookReply,
  WorkbookListReply,
  WorkbookReply,
} from './schemas.js';

const tags = ['Flows'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 429: ErrorReply };
const ownerOf = (flow: { owner_type: 'user' | 'team'; owner_id: string }) => ({ type: flow.owner_type, id: flow.owner_id });

/** Flows, workbooks and runs for the dashboard (session JSON API). */
export const flowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);

  app.get('/api/flows/schema', {
    schema: { tags, summary: 'The JSON schema of a flow definition, and the step library' },
    handler: async () => ({ success: true as const, schema: FlowDefinitionSchema, steps: STEP_TYPES.map((s) => ({ type: s.type, summary: s.summary })) }),
  });

  app.post('/api/flows', {
    schema: { tags, summary: 'Create a flow (validated against the schema)', body: CreateFlowBody, response: { 201: FlowReply, ...errors } },
    handler: async (request, reply) => reply.code(201).send({ success: true as const, flow: await service.createFlow(ctx, request.user!.id, request.body, actorOf(request)) }),
  });

  app.get('/api/flows', {
    schema: { tags, summary: 'Your flows, or a team’s', querystring: TeamQuery, response: { 200: FlowListReply, ...errors } },
    handler: async (request) => ({ success: true as const, flows: await service.listFlows(ctx, request.user!.id, request.query.team_id) }),
  });

  app.get('/api/flows/:id', {
    schema: { tags, summary: 'A flow', params: FlowParams, response: { 200: FlowReply, ...errors } },
    handler: async (request) => ({ success: true as const, flow: await service.getFlow(ctx, request.user!.id, request.params.id) }),
  });

  app.put('/api/flows/:id', {
    schema: { tags, summary: 'Replace a flow’s definition or move it to another workbook', params: FlowParams, body: UpdateFlowBody, response: { 200: FlowReply, ...errors } },
    handler: async (request) => ({ success: true as const, flow: await service.updateFlow(ctx, request.user!.id, request.params.id, request.body, actorOf(request)) }),
  });

  app.delete('/api/flows/:id', {
    schema: { tags, summary: 'Delete a flow', params: FlowParams, response: { 200: Type.Object({ success: Type.Literal(true) }), ...errors } },
    handler: async (request) => {
      await service.deleteFlow(ctx, request.user!.id, request.params.id, actorOf(request));
      return { success: true as const };
    },
  });

  app.post('/api/flows/:id/runs', {
    schema: { tags, summary: 'Start a run as yourself', params: FlowParams, body: StartRunBody, response: { 201: RunReply, ...errors } },
    handler: async (request, reply) => {
      const flow = await service.accessFlow(ctx.db, request.user!.id, request.params.id, false);
      const { run } = await startRun(ctx, { owner: ownerOf(flow), flowId: flow.id, userId: request.user!.id, apiKeyId: null, inputs: request.body.inputs ?? {} });
      return reply.code(201).send({ success: true as const, run: presentRun((await runs.findRun(ctx.db, ownerOf(flow), run.id))!, ctx.keys) });
    },
  });

  app.get('/api/flows/:id/runs', {
    schema: { tags, summary: 'The 50 most recent runs', params: FlowParams, response: { 200: RunListReply, ...errors } },
    handler: async (request) => {
      const flow = await service.accessFlow(ctx.db, request.user!.id, request.params.id, false);
      return { success: true as const, runs: (await runs.recentRuns(ctx.db, ownerOf(flow), flow.id, 50)).map((r) => presentRun(r, ctx.keys)) };
    },
  });

  app.get('/api/flows/:id/runs/:runId', {
    schema: { tags, summary: 'A run', params: RunParams, response: { 200: RunReply, ...errors } },
    handler: async (request) => {
      const flow = await service.accessFlow(ctx.db, request.user!.id, request.params.id, false);
      const run = await runs.findRun(ctx.db, ownerOf(flow), request.params.runId);
      if (!run || run.flow_id !== flow.id) throw new TesseraError('RUN_NOT_FOUND');
      return { success: true as const, run: presentRun(run, ctx.keys) };
    },
  });

  app.post('/api/flows/:id/runs/:runId/kill', {
    schema: { tags, summary: 'Stop a run', params: RunParams, response: { 200: Type.Object({ success: Type.Boolean(), run_id: Type.String() }), ...errors } },
    handler: async (request) => {
      const flow = await service.accessFlow(ctx.db, request.user!.id, request.params.id, false);
      const run = await runs.findRun(ctx.db, ownerOf(flow), request.params.runId);
      if (!run || run.flow_id !== flow.id) throw new TesseraError('RUN_NOT_FOUND');
      const { success } = await killRun(ctx, ownerOf(flow), run.id, request.user!.id, actorOf(request));
      return { success, run_id: run.id };
    },
  });

  app.post('/api/flows/:id/webhook', {
    schema: { tags, summary: 'The webhook trigger URL of a flow with one of your keys', params: FlowParams, body: WebhookBody, response: { 200: WebhookReply, ...errors } },
    handler: async (request) => ({ success: true as const, ...(await webhookUrl(ctx, request.user!, request.params.id, request.body, actorOf(request))) }),
  });

  app.post('/api/workbooks', {
    schema: { tags, summary: 'Create a workbook (a folder of flows)', body: CreateWorkbookBody, response: { 201: WorkbookReply, ...errors } },
    handler: async (request, reply) => reply.code(201).send({ success: true as const, workbook: await service.createWorkbook(ctx, request.user!.id, request.body, actorOf(request)) }),
  });

  app.get('/api/workbooks', {
    schema: { tags, summary: 'Your workbooks, or a team’s', querystring: TeamQuery, response: { 200: WorkbookListReply, ...errors } },
    handler: async (request) => ({ success: true as const, workbooks: await service.listWorkbooks(ctx, request.user!.id, request.query.team_id) }),
  });
};
