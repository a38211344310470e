import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { createFlow, deleteFlow, getFlow, updateFlow } from '../../flows/service.js';
import { webhookUrl } from '../../flows/webhook.js';
import { formProblem } from '../errors.js';
import { formOf, text, type FormBody } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { FlowPage, type FlowPageProps } from '../pages/flow.js';
import { EXAMPLE_FLOW, NewFlowPage } from '../pages/flow-editor.js';
import { FlowRunPage } from '../pages/flow-run.js';
import { FlowWebhookPage, type FlowWebhookProps } from '../pages/flow-webhook.js';
import { FlowsPage } from '../pages/flows.js';
import { sendPage } from '../render.js';
import { TERMINAL_STATES, flowGroups, flowRun, flowWithRuns, keysForFlow, managedTeams, startFlowRun } from '../services/flows.js';

/** The JSON of the editor; a syntax error is said in plain words. */
function parseDefinition(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (err) {
    throw new TesseraError('FLOW_INVALID', `The definition is not valid JSON: ${(err as Error).message}.`);
  }
}

/** Run inputs from the form: fields named `input.<name>`; empty ones are left to their default. */
function runInputs(form: FormBody): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name.startsWith('input.') && typeof value === 'string' && value !== '') inputs[name.slice('input.'.length)] = value;
  }
  return inputs;
}

/** Flows: list, JSON editor, runs with their history, and the webhook panel. */
export async function flowPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const userOf = (request: FastifyRequest) => request.viewer!.user;

  async function showFlow(request: FastifyRequest, reply: FastifyReply, extra: Partial<FlowPageProps> = {}, status = 200) {
    const { flow, runs } = await flowWithRuns(ctx, userOf(request).id, idOf(request));
    return sendPage(reply, h(FlowPage, { viewer: request.viewer!, flow, runs, ...extra }), status);
  }

  app.get('/flows', async (request, reply) => {
    const deleted = (request.query as Record<string, string>).deleted === '1';
    return sendPage(reply, h(FlowsPage, { viewer: request.viewer!, groups: await flowGroups(ctx, userOf(request).id), deleted }));
  });

  app.get('/flows/new', async (request, reply) =>
    sendPage(reply, h(NewFlowPage, { viewer: request.viewer!, teams: await managedTeams(ctx, userOf(request).id), definition: EXAMPLE_FLOW })),
  );

  app.post('/flows', async (request, reply) => {
    const form = formOf(request.body);
    const source = typeof form.definition === 'string' ? form.definition : '';
    const teamId = text(form, 'team_id');
    try {
      const flow = await createFlow(ctx, userOf(request).id, { definition: parseDefinition(source), ...(teamId ? { team_id: teamId } : {}) }, actorOf(request));
      return reply.redirect(`/flows/${encodeURIComponent(flow.id)}`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      const teams = await managedTeams(ctx, userOf(request).id);
      return sendPage(reply, h(NewFlowPage, { viewer: request.viewer!, teams, definition: source, error: message }), status);
    }
  });

  app.get('/flows/:id', async (request, reply) => showFlow(request, reply, { saved: (request.query as Record<string, string>).saved === '1' }));

  app.post('/flows/:id', async (request, reply) => {
    const form = formOf(request.body);
    const source = typeof form.definition === 'string' ? form.definition : '';
    try {
      await updateFlow(ctx, userOf(request).id, idOf(request), { definition: parseDefinition(source) }, actorOf(request));
      return reply.redirect(`/flows/${encodeURIComponent(idOf(request))}?saved=1`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return showFlow(request, reply, { definition: source, editError: message }, status);
    }
  });

  app.post('/flows/:id/delete', async (request, reply) => {
    await deleteFlow(ctx, userOf(request).id, idOf(request), actorOf(request));
    return reply.redirect('/flows?deleted=1', 303);
  });

  app.post('/flows/:id/runs', async (request, reply) => {
    try {
      const runId = await startFlowRun(ctx, userOf(request).id, idOf(request), runInputs(formOf(request.body)));
      return reply.redirect(`/flows/${encodeURIComponent(idOf(request))}/runs/${encodeURIComponent(runId)}`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      if (err instanceof TesseraError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
      return showFlow(request, reply, { runError: message }, status);
    }
  });

  app.get('/flows/:id/runs/:runId', async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const { flow, run } = await flowRun(ctx, userOf(request).id, idOf(request), runId);
    return sendPage(reply, h(FlowRunPage, { viewer: request.viewer!, flow, run, finished: TERMINAL_STATES.includes(run.state) }));
  });

  async function showWebhook(request: FastifyRequest, reply: FastifyReply, extra: Partial<FlowWebhookProps> = {}, status = 200) {
    const flow = await getFlow(ctx, userOf(request).id, idOf(request));
    const keys = await keysForFlow(ctx, userOf(request).id, flow);
    return sendPage(reply, h(FlowWebhookPage, { viewer: request.viewer!, flow, keys, ...extra }), status);
  }

  app.get('/flows/:id/webhook', async (request, reply) => showWebhook(request, reply));

  app.post('/flows/:id/webhook', async (request, reply) => {
    const form = formOf(request.body);
    const keyId = text(form, 'key_id');
    const apiKey = text(form, 'api_key');
    const password = typeof form.password === 'string' ? form.password : '';
    try {
      const flow = await getFlow(ctx, userOf(request).id, idOf(request));
      const url = await webhookUrl(
        ctx,
        userOf(request),
        flow.id,
        { key_id: keyId, ...(apiKey ? { api_key: apiKey } : password ? { password } : {}) },
        actorOf(request),
      );
      const body: Record<string, unknown> = {};
      for (const input of flow.definition.inputs ?? []) body[input.name] = input.default ?? `your ${input.name}`;
      const target = { url: url.url, headerUrl: url.header_url, authorization: url.authorization, body: JSON.stringify(body), includesKey: url.includes_key, keyId };
      return showWebhook(request, reply, { target });
    } catch (err) {
      const { status, message } = formProblem(err);
      return showWebhook(request, reply, { error: message }, status);
    }
  });
}
