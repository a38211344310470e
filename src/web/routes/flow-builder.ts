import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { accessFlow, getFlow, toFlow } from '../../flows/service.js';
import { createTrigger, deleteTrigger, getTrigger, previewSchedule, type TriggerInput } from '../../flows/trigger-service.js';
import { TesseraError } from '../../http/errors.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { formProblem } from '../errors.js';
import { flashOf, readFlash, redirectWithFlash } from '../flash.js';
import { formOf, text, type FormBody } from '../form.js';
import type { StepDraft } from '../pages/flow-steps.js';
import { removeStepConsequence } from '../pages/flow-steps.js';
import { AddTriggerPage, deleteTriggerConsequence, type ScheduleDraft } from '../pages/flow-triggers.js';
import { sendPage } from '../render.js';
import { editSteps, formValues, freshStepId, placeOf, stepFromForm, stepValues, type StepEdit } from '../services/flow-steps.js';

/** The sentences a flow page shows after a step or trigger change (`?done=…`): a reload shows it again, and does nothing. */
export const FLOW_NOTICES: Record<string, string> = {
  'flow-created': 'Flow created. Add more steps below, or a trigger to run it by itself.',
  'step-added': 'Step added.',
  'step-saved': 'Step saved.',
  'step-moved': 'Step moved.',
  'step-removed': 'Step removed.',
  'trigger-added': 'Trigger added.',
  'trigger-deleted': 'Trigger deleted.',
};

/**
 * The step editor's and the triggers' forms. Every POST acts once and answers 303: to the flow
 * page with `?done=…`, or back to the form with what was typed and the reason (a one-time flash).
 * Removing a step and deleting a trigger ask first.
 */
export async function flowBuilderPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const params = (request: FastifyRequest) => request.params as { id: string; stepId?: string; triggerId?: string };
  const userId = (request: FastifyRequest) => request.viewer!.user.id;
  const flowPath = (request: FastifyRequest, rest = '') => `/flows/${encodeURIComponent(params(request).id)}${rest}`;

  /** Back to the flow page with the step form's values and the reason next to its field. */
  async function backToStep(request: FastifyRequest, reply: FastifyReply, err: unknown, draft: Omit<StepDraft, 'error' | 'field'>): Promise<FastifyReply> {
    const { message } = formProblem(err);
    const { field } = placeOf(err);
    return redirectWithFlash(request, reply, flowPath(request), 'step-draft', { ...draft, error: message, field } as unknown as Record<string, unknown>);
  }

  async function edit(request: FastifyRequest, reply: FastifyReply, change: StepEdit, done: string, draft: Omit<StepDraft, 'error' | 'field'>, anchor: string) {
    try {
      await editSteps(ctx, userId(request), params(request).id, change, actorOf(request));
      return reply.redirect(`${flowPath(request)}?done=${done}${anchor}`, 303);
    } catch (err) {
      return backToStep(request, reply, err, draft);
    }
  }

  /** The saved step the URL names; another flow's or a removed one reads as missing. */
  async function savedStep(request: FastifyRequest) {
    const flow = await getFlow(ctx, userId(request), params(request).id);
    const step = flow.definition.steps.find((s) => s.id === params(request).stepId);
    if (!step) throw new TesseraError('FLOW_NOT_FOUND', 'That step is not in this flow (it may have been removed in another tab).');
    return { flow, step };
  }

  app.post('/flows/:id/steps', async (request, reply) => {
    const form = formOf(request.body);
    const type = text(form, 'type');
    const values = { id: text(form, 'id'), ...formValues(type, form, `p.${type}.`) };
    if (text(form, 'action') === 'choose') return redirectWithFlash(request, reply, flowPath(request), 'step-draft', { target: 'new', type, values });
    try {
      const flow = await getFlow(ctx, userId(request), params(request).id);
      const id = values.id || freshStepId(flow.definition, type);
      const step = stepFromForm(type, id, form, `p.${type}.`);
      return await edit(request, reply, { kind: 'add', step }, 'step-added', { target: 'new', type, values }, `#step-${encodeURIComponent(id)}`);
    } catch (err) {
      return backToStep(request, reply, err, { target: 'new', type, values });
    }
  });

  app.post('/flows/:id/steps/:stepId', async (request, reply) => {
    const form = formOf(request.body);
    const { step: saved } = await savedStep(request);
    const values = formValues(saved.type, form, 'p.');
    const draft = { target: saved.id, type: saved.type, values };
    try {
      const step = stepFromForm(saved.type, saved.id, form, 'p.');
      return await edit(request, reply, { kind: 'save', stepId: saved.id, step }, 'step-saved', draft, `#step-${encodeURIComponent(saved.id)}`);
    } catch (err) {
      return backToStep(request, reply, err, draft);
    }
  });

  app.post('/flows/:id/steps/:stepId/move', async (request, reply) => {
    const form = formOf(request.body);
    const { step } = await savedStep(request);
    const by = text(form, 'direction') === 'up' ? -1 : 1;
    return edit(request, reply, { kind: 'move', stepId: step.id, by }, 'step-moved', { target: step.id, type: step.type, values: stepValues(step) }, '#steps');
  });

  app.get('/flows/:id/steps/:stepId/delete', async (request, reply) => {
    const { flow, step } = await savedStep(request);
    await accessFlow(ctx.db, userId(request), flow.id, true);
    return sendConfirmation(request, reply, {
      title: `Remove the step ${step.id} from “${flow.name}”?`,
      consequence: removeStepConsequence(step.id, step.type),
      button: `Remove ${step.id}`,
      cancelHref: flowPath(request, '#steps'),
      active: 'flows',
    });
  });

  app.post('/flows/:id/steps/:stepId/delete', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const { step } = await savedStep(request);
    return edit(request, reply, { kind: 'remove', stepId: step.id }, 'step-removed', { target: step.id, type: step.type, values: stepValues(step) }, '#steps');
  });

  app.get('/flows/:id/triggers/new', async (request, reply) => {
    const flow = toFlow(await accessFlow(ctx.db, userId(request), params(request).id, true));
    const flash = await readFlash(request);
    const query = request.query as Record<string, unknown>;
    const back = flashOf<{ schedule?: ScheduleDraft; eventError?: string; event?: string }>(flash, 'trigger-draft');
    let schedule: ScheduleDraft = back?.schedule ?? { cron: '', timezone: 'UTC' };
    if (!back && typeof query.cron === 'string') {
      const cron = query.cron.slice(0, 200);
      const timezone = typeof query.timezone === 'string' && query.timezone !== '' ? query.timezone.slice(0, 64) : 'UTC';
      try {
        schedule = { cron, timezone, next_due: previewSchedule(ctx, cron, timezone).next_due };
      } catch (err) {
        const { message } = formProblem(err);
        schedule = { cron, timezone, error: message, field: (err as TesseraError).details?.field as string | undefined };
      }
    }
    return sendPage(reply, h(AddTriggerPage, { viewer: request.viewer!, flow, schedule, eventError: back?.eventError ?? null, event: back?.event }));
  });

  app.post('/flows/:id/triggers', async (request, reply) => {
    const form: FormBody = formOf(request.body);
    const kind = text(form, 'kind');
    const cron = text(form, 'cron');
    const timezone = text(form, 'timezone') || 'UTC';
    const event = text(form, 'event');
    if (kind === 'schedule' && text(form, 'action') === 'preview') {
      const query = new URLSearchParams({ cron, timezone });
      return reply.redirect(`${flowPath(request, '/triggers/new')}?${query.toString()}#schedule`, 303);
    }
    const input: TriggerInput = kind === 'schedule' ? { kind, cron, timezone } : { kind: 'event', event };
    try {
      await createTrigger(ctx, userId(request), params(request).id, input, actorOf(request));
      return reply.redirect(`${flowPath(request)}?done=trigger-added#triggers`, 303);
    } catch (err) {
      const { message } = formProblem(err);
      const field = err instanceof TesseraError ? (err.details?.field as string | undefined) : undefined;
      const data = kind === 'schedule' ? { schedule: { cron, timezone, error: message, field: field ?? null } } : { eventError: message, event };
      return redirectWithFlash(request, reply, flowPath(request, '/triggers/new'), 'trigger-draft', data);
    }
  });

  app.get('/flows/:id/triggers/:triggerId/delete', async (request, reply) => {
    const flow = toFlow(await accessFlow(ctx.db, userId(request), params(request).id, true));
    const trigger = await getTrigger(ctx, userId(request), flow.id, params(request).triggerId!);
    return sendConfirmation(request, reply, {
      title: `Delete this trigger of “${flow.name}”?`,
      consequence: deleteTriggerConsequence(flow.name, trigger),
      button: 'Delete trigger',
      cancelHref: flowPath(request, '#triggers'),
      active: 'flows',
    });
  });

  app.post('/flows/:id/triggers/:triggerId/delete', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await deleteTrigger(ctx, userId(request), params(request).id, params(request).triggerId!, actorOf(request));
    return reply.redirect(`${flowPath(request)}?done=trigger-deleted#triggers`, 303);
  });
}
