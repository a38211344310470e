import type { Executor } from '../db/database.js';
import type { FlowTriggerFireTable, FlowTriggerTable } from './trigger-tables.js';

export function insertTrigger(db: Executor, trigger: FlowTriggerTable) {
  return db.insertInto('flow_triggers').values(trigger).execute();
}

export function listForFlow(db: Executor, flowId: string) {
  return db.selectFrom('flow_triggers').selectAll().where('flow_id', '=', flowId).orderBy('created_at').orderBy('id').execute();
}

export async function countForFlow(db: Executor, flowId: string): Promise<number> {
  const row = await db.selectFrom('flow_triggers').select((eb) => eb.fn.countAll<number>().as('n')).where('flow_id', '=', flowId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A trigger of this flow; one of another flow reads as missing. */
export function findForFlow(db: Executor, flowId: string, id: string) {
  return db.selectFrom('flow_triggers').selectAll().where('id', '=', id).where('flow_id', '=', flowId).executeTakeFirst();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('flow_triggers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteTrigger(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('flow_trigger_fires').where('trigger_id', '=', id).execute();
  await db.deleteFrom('flow_triggers').where('id', '=', id).execute();
}

/** Schedule triggers of live flows whose next due time has come, oldest due first. */
export function dueSchedules(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('flow_triggers as t')
    .innerJoin('flows as f', 'f.id', 't.flow_id')
    .selectAll('t')
    .where('t.kind', '=', 'schedule')
    .where('t.next_due_at', '<=', now)
    .where('f.deleted_at', 'is', null)
    .orderBy('t.next_due_at')
    .limit(limit)
    .execute();
}

/** Moves a schedule on, unless another scheduler already did. */
export async function advance(db: Executor, id: string, from: number, to: number | null): Promise<void> {
  await db.updateTable('flow_triggers').set({ next_due_at: to }).where('id', '=', id).where('next_due_at', '=', from).execute();
}

/** The live event triggers of live flows for one account and event, inside the event's transaction. */
export function eventTriggers(db: Executor, userId: string, event: string) {
  return db
    .selectFrom('flow_triggers as t')
    .innerJoin('flows as f', 'f.id', 't.flow_id')
    .select(['t.id'])
    .where('t.kind', '=', 'event')
    .where('t.event', '=', event)
    .where('t.user_id', '=', userId)
    .where('f.deleted_at', 'is', null)
    .execute();
}

export function insertFire(db: Executor, fire: FlowTriggerFireTable) {
  return db.insertInto('flow_trigger_fires').values(fire).execute();
}

/** Fires waiting to start their run, with their trigger. */
export function pendingFires(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('flow_trigger_fires as x')
    .innerJoin('flow_triggers as t', 't.id', 'x.trigger_id')
    .selectAll('x')
    .select(['t.flow_id', 't.owner_type', 't.owner_id', 't.user_id', 't.kind', 't.event'])
    .where('x.state', '=', 'pending')
    .where('x.next_attempt_at', '<=', now)
    .orderBy('x.created_at')
    .orderBy('x.id')
    .limit(limit)
    .execute();
}

export async function updateFire(db: Executor, id: string, changes: Partial<FlowTriggerFireTable>): Promise<boolean> {
  const result = await db.updateTable('flow_trigger_fires').set(changes).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The latest fire of a trigger, with its run's state when it has one. */
export function latestFire(db: Executor, triggerId: string) {
  return db
    .selectFrom('flow_trigger_fires as x')
    .leftJoin('flow_runs as r', 'r.id', 'x.run_id')
    .select(['x.id', 'x.due_at', 'x.missed', 'x.state', 'x.run_id', 'x.error', 'x.created_at', 'r.state as run_state'])
    .where('x.trigger_id', '=', triggerId)
    .orderBy('x.created_at', 'desc')
    .orderBy('x.due_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Forgets finished fires older than `before` (the runs themselves stay). */
export async function pruneFires(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('flow_trigger_fires').where('state', '!=', 'pending').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
