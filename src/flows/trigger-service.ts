import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import { accessFlow } from './service.js';
import { TRIGGER_EVENTS, eventLabel } from './trigger-events.js';
import { dueTimesAfter, nextDueAfter, parseSchedule } from './trigger-schedule.js';
import * as triggers from './trigger-store.js';
import type { FlowTriggerRow } from './trigger-tables.js';
import { isoTime } from '../util/dates.js';

/** At most this many triggers per flow. */
export const MAX_TRIGGERS_PER_FLOW = 20;

export type TriggerInput = { kind: 'schedule'; cron: string; timezone?: string } | { kind: 'event'; event: string };

export interface Trigger {
  id: string;
  flow_id: string;
  kind: 'schedule' | 'event';
  cron: string | null;
  timezone: string | null;
  event: string | null;
  /** In words: "Every time: New sale", "On schedule 0 9 * * 1 (Europe/Berlin)". */
  summary: string;
  /** Schedule: the next three due times (ISO 8601 UTC); [] for an event. */
  next_due: string[];
  /** The latest due time or event that fired, and what came of it. */
  last_fire: { at: string; run_id: string | null; state: string; error: string | null; missed: number } | null;
  created_at: string;
}

function summaryOf(row: FlowTriggerRow): string {
  return row.kind === 'event' ? `When: ${eventLabel(row.event!)} (${row.event})` : `On schedule ${row.cron} (${row.timezone})`;
}

async function present(ctx: AppContext, row: FlowTriggerRow): Promise<Trigger> {
  const fire = await triggers.latestFire(ctx.db, row.id);
  const schedule = row.kind === 'schedule' ? { cron: row.cron!, timezone: row.timezone! } : null;
  // From the due time not yet claimed; one already past is claimed on the scheduler's next look.
  const now = ctx.triggers.now();
  const from = row.next_due_at !== null && row.next_due_at > now ? row.next_due_at - 1 : now;
  return {
    id: row.id,
    flow_id: row.flow_id,
    kind: row.kind,
    cron: row.cron,
    timezone: row.timezone,
    event: row.event,
    summary: summaryOf(row),
    next_due: schedule ? dueTimesAfter(schedule, from, 3).map((ms) => isoTime(ms)) : [],
    last_fire: fire
      ? { at: isoTime(fire.due_at), run_id: fire.run_id, state: fire.run_state ?? (fire.state === 'pending' ? 'PENDING' : fire.state === 'failed' ? 'NOT STARTED' : 'STARTED'), error: fire.error, missed: fire.missed }
      : null,
    created_at: isoTime(row.created_at),
  };
}

/** The next three due times of a schedule from now, or the sentence saying what is wrong with it (400). */
export function previewSchedule(ctx: AppContext, cron: string, timezone: string): { cron: string; timezone: string; next_due: string[] } {
  const schedule = parseSchedule(cron, timezone);
  return { ...schedule, next_due: dueTimesAfter(schedule, ctx.triggers.now(), 3).map((ms) => isoTime(ms)) };
}

/** Adds a trigger to a flow the user may edit; runs act for that user. Audited. */
export async function createTrigger(ctx: AppContext, userId: string, flowId: string, input: TriggerInput, actor: Actor): Promise<Trigger> {
  const now = ctx.triggers.now();
  const row: FlowTriggerRow = {
    id: newPublicId(22),
    flow_id: flowId,
    owner_type: 'user',
    owner_id: userId,
    user_id: userId,
    kind: input.kind,
    cron: null,
    timezone: null,
    event: null,
    next_due_at: null,
    created_by: userId,
    created_at: now,
  };
  if (input.kind === 'schedule') {
    const schedule = parseSchedule(input.cron, input.timezone ?? 'UTC');
    Object.assign(row, { cron: schedule.cron, timezone: schedule.timezone, next_due_at: nextDueAfter(schedule, now) });
  } else if (input.kind === 'event') {
    if (!TRIGGER_EVENTS.some((e) => e.name === input.event)) {
      throw new TesseraError('TRIGGER_INVALID', `"${String(input.event).slice(0, 64)}" is not a Tessera event: choose one of ${TRIGGER_EVENTS.map((e) => e.name).join(', ')}.`, { field: 'event' });
    }
    row.event = input.event;
  } else {
    throw new TesseraError('TRIGGER_INVALID', 'A trigger is a "schedule" or an "event".', { field: 'kind' });
  }
  await ctx.db.transaction().execute(async (trx) => {
    const flow = await accessFlow(trx, userId, flowId, true);
    Object.assign(row, { owner_type: flow.owner_type, owner_id: flow.owner_id });
    if ((await triggers.countForFlow(trx, flowId)) >= MAX_TRIGGERS_PER_FLOW) {
      throw new TesseraError('TRIGGER_INVALID', `A flow has at most ${MAX_TRIGGERS_PER_FLOW} triggers: delete one first.`, { field: 'kind' });
    }
    await triggers.insertTrigger(trx, row);
    await recordAudit(trx, {
      actor,
      userId,
      action: 'flow.trigger_added',
      target: { type: 'flow', id: flowId },
      metadata: { trigger_id: row.id, kind: row.kind, ...(row.kind === 'schedule' ? { cron: row.cron, timezone: row.timezone } : { event: row.event }) },
    });
  });
  return present(ctx, row);
}

/** The triggers of a flow the user may see. */
export async function listTriggers(ctx: AppContext, userId: string, flowId: string): Promise<Trigger[]> {
  await accessFlow(ctx.db, userId, flowId, false);
  return Promise.all((await triggers.listForFlow(ctx.db, flowId)).map((row) => present(ctx, row)));
}

/** One trigger of a flow the user may see; another flow's (or account's) reads as missing. */
export async function getTrigger(ctx: AppContext, userId: string, flowId: string, triggerId: string): Promise<Trigger> {
  await accessFlow(ctx.db, userId, flowId, false);
  const row = await triggers.findForFlow(ctx.db, flowId, triggerId);
  if (!row) throw new TesseraError('TRIGGER_NOT_FOUND');
  return present(ctx, row);
}

/** Removes a trigger (its runs stay in the history); no due time or event starts the flow through it again. Audited. */
export async function deleteTrigger(ctx: AppContext, userId: string, flowId: string, triggerId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await accessFlow(trx, userId, flowId, true);
    const row = await triggers.findForFlow(trx, flowId, triggerId);
    if (!row) throw new TesseraError('TRIGGER_NOT_FOUND');
    await triggers.deleteTrigger(trx, row.id);
    await recordAudit(trx, { actor, userId, action: 'flow.trigger_deleted', target: { type: 'flow', id: flowId }, metadata: { trigger_id: row.id, kind: row.kind, summary: summaryOf(row) } });
  });
}
