import { RunStatesChart } from '../dashboard-charts.js';
import { runStateItems } from '../services/charts.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { createFlow, deleteFlow, getFlow, updateFlow } from '../../flows/service.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, formErrorOf, grantSession, hasGrant, readFlash, redirectWithFlash, withParam } from '../flash.js';
import { formProblem } from '../errors.js';
import { formOf, text, type FormBody } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { FlowPage } from '../pages/flow.js';
import { EXAMPLE_FLOW, NewFlowPage } from '../pages/flow-editor.js';
import { FlowRunPage } from '../pages/flow-run.js';
import { FlowWebhookPage, type FlowWebhookProps, type ShownTarget } from '../pages/flow-webhook.js';
import { FlowsPage } from '../pages/flows.js';
import { sendPage } from '../render.js';
import { deleteFlowConsequence } from '../services/consequences.js';
import { TERMINAL_STATES, createKeyForFlow, flowGroups, flowRun, flowWithRuns, keysForFlow, managedTeams, startFlowRun, webhookTarget } from '../services/flows.js';
import { listTriggers } from '../../flows/trigger-service.js';
import type { StepDraft } from '../pages/flow-steps.js';
import { formValues, placeOf, stepFromForm } from '../services/flow-steps.js';
import { PASSWORD_GRANT_MS } from './api-keys.js';
import { FLOW_NOTICES, flowBuilderPages } from './flow-builder.js';
import { named } from '../../http/plugin-name.js';

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
  const inputs: Record<string, unknown> = Object.create(null);
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
  const flowPath = (request: FastifyRequest, rest = '') => `/flows/${encodeURIComponent(idOf(request))}${rest}`;

  app.get('/flows', async (request, reply) => {
    const deleted = (request.query as Record<string, string>).deleted === '1';
    const charts = h(RunStatesChart, { items: await runStateItems(ctx, userOf(request).id) });
    return sendPage(reply, h(FlowsPage, { viewer: request.viewer!, groups: await flowGroups(ctx, userOf(request).id), deleted, charts }));
  });

  app.get('/flows/new', async (request, reply) => {
    const flash = await readFlash(request);
    const failed = formErrorOf(flash, 'create');
    const teams = await managedTeams(ctx, userOf(request).id);
    const draft = flashOf<StepDraft>(flash, 'step-draft');
    return sendPage(reply, h(NewFlowPage, { viewer: request.viewer!, teams, definition: failed?.values.definition ?? EXAMPLE_FLOW, error: failed?.error, draft }));
  });

  app.post('/flows', async (request, reply) => {
    const form = formOf(request.body);
    const source = typeof form.definition === 'string' ? form.definition : '';
    const teamId = text(form, 'team_id');
    if (text(form, 'builder') === 'steps') {
      // "Build with forms": a name and a first step, no JSON; the same validation as the API's.
      const type = text(form, 'type');
      const values = { name: text(form, 'name'), description: text(form, 'description'), team_id: teamId, id: text(form, 'id'), ...formValues(type, form, `p.${type}.`) };
      if (text(form, 'action') === 'choose') return redirectWithFlash(request, reply, '/flows/new', 'step-draft', { target: 'new-flow', type, values });
      try {
        const step = stepFromForm(type, values.id || type, form, `p.${type}.`);
        const definition = { name: values.name, ...(values.description ? { description: values.description } : {}), steps: [step] };
        const flow = await createFlow(ctx, userOf(request).id, { definition, ...(teamId ? { team_id: teamId } : {}) }, actorOf(request));
        return reply.redirect(`/flows/${encodeURIComponent(flow.id)}?done=flow-created#steps`, 303);
      } catch (err) {
        const { message } = formProblem(err);
        const { field } = placeOf(err);
        const details = err instanceof TesseraError ? (err.details as { step_index?: number } | undefined) : undefined;
        // A problem outside the step (the name) is said at the top of the form.
        const stepField = details?.step_index !== undefined || field === 'type' ? field : null;
        return redirectWithFlash(request, reply, '/flows/new', 'step-draft', { target: 'new-flow', type, values, error: message, field: stepField });
      }
    }
    try {
      const flow = await createFlow(ctx, userOf(request).id, { definition: parseDefinition(source), ...(teamId ? { team_id: teamId } : {}) }, actorOf(request));
      return reply.redirect(`/flows/${encodeURIComponent(flow.id)}`, 303);
    } catch (err) {
      return backWithError(request, reply, '/flows/new', err, 'create', { definition: source });
    }
  });

  app.get('/flows/:id', async (request, reply) => {
    const flash = await readFlash(request);
    const { flow, runs } = await flowWithRuns(ctx, userOf(request).id, idOf(request));
    const edit = formErrorOf(flash, 'edit');
    const done = (request.query as Record<string, unknown>).done;
    const canEdit = flow.owner.type === 'user' || (await managedTeams(ctx, userOf(request).id)).some((t) => t.id === flow.owner.id);
    return sendPage(
      reply,
      h(FlowPage, {
        viewer: request.viewer!,
        flow,
        runs,
        saved: (request.query as Record<string, string>).saved === '1',
        definition: edit?.values.definition,
        editError: edit?.error,
        runError: formErrorOf(flash, 'run')?.error,
        triggers: await listTriggers(ctx, userOf(request).id, flow.id),
        canEdit,
        stepDraft: flashOf<StepDraft>(flash, 'step-draft'),
        notice: typeof done === 'string' ? (FLOW_NOTICES[done] ?? null) : null,
      }),
    );
  });

  app.post('/flows/:id', async (request, reply) => {
    const form = formOf(request.body);
    const source = typeof form.definition === 'string' ? form.definition : '';
    try {
      await updateFlow(ctx, userOf(request).id, idOf(request), { definition: parseDefinition(source) }, actorOf(request));
      return reply.redirect(flowPath(request, '?saved=1'), 303);
    } catch (err) {
      return backWithError(request, reply, flowPath(request), err, 'edit', { definition: source });
    }
  });

  app.get('/flows/:id/delete', async (request, reply) => {
    const { flow, runs } = await flowWithRuns(ctx, userOf(request).id, idOf(request));
    return sendConfirmation(request, reply, {
      title: `Delete “${flow.name}”?`,
      consequence: deleteFlowConsequence(flow.name, runs.length),
      button: 'Delete flow',
      cancelHref: flowPath(request),
      active: 'flows',
    });
  });

  app.post('/flows/:id/delete', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await deleteFlow(ctx, userOf(request).id, idOf(request), actorOf(request));
    return reply.redirect('/flows?deleted=1', 303);
  });

  app.post('/flows/:id/runs', async (request, reply) => {
    try {
      const runId = await startFlowRun(ctx, userOf(request).id, idOf(request), runInputs(formOf(request.body)));
      return reply.redirect(flowPath(request, `/runs/${encodeURIComponent(runId)}`), 303);
    } catch (err) {
      return backWithError(request, reply, flowPath(request), err, 'run');
    }
  });

  app.get('/flows/:id/runs/:runId', async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const { flow, run } = await flowRun(ctx, userOf(request).id, idOf(request), runId);
    return sendPage(reply, h(FlowRunPage, { viewer: request.viewer!, flow, run, finished: TERMINAL_STATES.includes(run.state) }));
  });

  await app.register(named(flowBuilderPages));

  /**
   * The webhook panel. `?key=<id>` picks a key: a recoverable one fills in once the password was
   * confirmed in this session; otherwise the snippets hold a placeholder. A secret typed in, or
   * a key created here, reaches the page once, in a flash.
   */
  app.get('/flows/:id/webhook', async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const flow = await getFlow(ctx, viewer.user.id, idOf(request));
    const keys = await keysForFlow(ctx, viewer.user.id, flow);
    const passwordConfirmed = await hasGrant(ctx, viewer.user.sessionId, 'password');
    const props: FlowWebhookProps = { viewer, flow, keys, passwordConfirmed, alreadyShown: flash.alreadyShown };
    const shown = flashOf<ShownTarget>(flash, 'webhook');
    // No key named: the one that fills in by itself (recoverable, password confirmed), else the first.
    const asked = (request.query as Record<string, unknown>).key;
    const keyId = typeof asked === 'string' ? asked : flash.alreadyShown ? undefined : (keys.find((k) => k.recoverable && passwordConfirmed) ?? keys[0])?.id;
    if (shown) props.target = shown;
    else if (typeof keyId === 'string' && keys.some((k) => k.id === keyId)) {
      const key = keys.find((k) => k.id === keyId)!;
      props.target = await webhookTarget(ctx, viewer.user, flow, keyId, { recover: key.recoverable && passwordConfirmed }, actorOf(request));
    }
    props.error = formErrorOf(flash, 'webhook')?.error ?? null;
    return sendPage(reply, h(FlowWebhookPage, props));
  });

  app.post('/flows/:id/webhook', async (request, reply) => {
    const viewer = request.viewer!;
    const form = formOf(request.body);
    const keyId = text(form, 'key_id');
    const apiKey = text(form, 'api_key');
    const password = typeof form.password === 'string' ? form.password : '';
    const back = flowPath(request, '/webhook');
    try {
      const flow = await getFlow(ctx, viewer.user.id, idOf(request));
      if (!apiKey && !password) {
        await webhookTarget(ctx, viewer.user, flow, keyId, {}, actorOf(request));
        return reply.redirect(withParam(back, 'key', keyId), 303);
      }
      const target = await webhookTarget(ctx, viewer.user, flow, keyId, apiKey ? { apiKey } : { password }, actorOf(request));
      if (password && !apiKey) await grantSession(ctx, viewer.user.sessionId, 'password', PASSWORD_GRANT_MS);
      return redirectWithFlash(request, reply, withParam(back, 'key', keyId), 'webhook', target as unknown as Record<string, unknown>);
    } catch (err) {
      return backWithError(request, reply, back, err, 'webhook');
    }
  });

  /** "Create a key for this flow": a new key shown once, filled into the snippets on the next page. */
  app.post('/flows/:id/webhook/key', async (request, reply) => {
    const viewer = request.viewer!;
    const back = flowPath(request, '/webhook');
    try {
      const flow = await getFlow(ctx, viewer.user.id, idOf(request));
      const { keyId, secret } = await createKeyForFlow(ctx, viewer.user.id, flow, actorOf(request));
      const target = await webhookTarget(ctx, viewer.user, flow, keyId, { apiKey: secret }, actorOf(request));
      return redirectWithFlash(request, reply, back, 'webhook', { ...target, created: true } as unknown as Record<string, unknown>);
    } catch (err) {
      return backWithError(request, reply, back, err, 'webhook');
    }
  });
}
