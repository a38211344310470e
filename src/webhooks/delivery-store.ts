import { sql, type Updateable } from 'kysely';
import type { Executor, Trx } from '../db/database.js';
import type { WebhookAttemptTable, WebhookDeliveryRow, WebhookDeliveryTable } from './tables.js';

/** A leased delivery with what sending it needs of its resource subscription. */
export type ClaimedDelivery = WebhookDeliveryRow & { post_url: string; deleted_at: number | null; user_id: string; application_id: string };

/** Writes outbox rows (one per subscription of an event), in one statement. */
export async function insertDeliveries(db: Executor, rows: WebhookDeliveryTable[]): Promise<void> {
  await db.insertInto('webhook_deliveries').values(rows).execute();
}

/** Changes one delivery (a redelivery makes it due again). */
export async function updateDelivery(db: Executor, id: string, changes: Updateable<WebhookDeliveryTable>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
}

/**
 * The ids of up to `max` due, unleased pending deliveries, oldest due first. On PostgreSQL
 * (`skipLocked`) the rows are locked FOR UPDATE SKIP LOCKED, so concurrent claimers never pick
 * the same row; call it inside the claiming transaction.
 */
export async function dueDeliveryIds(trx: Trx, now: number, max: number, skipLocked: boolean): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
        select id from webhook_deliveries
        where state = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until <= ${now})
        order by next_attempt_at, id
        limit ${max}
        ${skipLocked ? sql`for update skip locked` : sql``}`.execute(trx);
  return rows.map((r) => r.id);
}

/** Leases these deliveries to `owner` until `leaseUntil`, counting the attempt about to be made. */
export async function leaseDeliveries(trx: Trx, ids: string[], owner: string, leaseUntil: number): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({ lease_owner: owner, lease_until: leaseUntil, attempt_count: eb('attempt_count', '+', 1) }))
    .where('id', 'in', ids)
    .execute();
}

/** Those of these deliveries that `owner` holds, with their resource subscription's post URL, deletion, user and application. */
export async function leasedWithSubscriptions(trx: Trx, ids: string[], owner: string): Promise<ClaimedDelivery[]> {
  return (await trx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('resource_subscriptions as s', 's.id', 'd.subscription_id')
    .selectAll('d')
    .select(['s.post_url', 's.deleted_at', 's.user_id', 's.application_id'])
    .where('d.id', 'in', ids)
    .where('d.lease_owner', '=', owner)
    .execute()) as ClaimedDelivery[];
}

/** Pending deliveries whose lease still runs at `now`, with who holds them. */
export async function leasedPending(db: Executor, now: number): Promise<{ id: string; lease_owner: string | null }[]> {
  return db.selectFrom('webhook_deliveries').select(['id', 'lease_owner']).where('state', '=', 'pending').where('lease_until', '>', now).execute();
}

/** Ends a delivery's lease, if `owner` still holds it. */
export async function releaseLease(db: Executor, id: string, owner: string | null): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
}

/** Records one POST of a delivery. */
export async function insertAttempt(db: Executor, row: WebhookAttemptTable): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

/** Schedules the next attempt and ends the lease, if `owner` still holds it. */
export async function scheduleRetry(db: Executor, id: string, owner: string, nextAttemptAt: number, status: number | null, error: string | null): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: nextAttemptAt, lease_owner: null, lease_until: null, last_status: status, last_error: error })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Finishes a delivery (succeeded, failed or skipped) and ends the lease, if `owner` still holds it. */
export async function finishDelivery(
  db: Executor,
  id: string,
  owner: string,
  state: 'succeeded' | 'failed' | 'skipped',
  status: number | null,
  error: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ state, finished_at: now, lease_owner: null, lease_until: null, last_status: status, last_error: error })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Deletes successful deliveries that finished before `before`, their attempts first. Returns how many deliveries went. */
export async function pruneSucceeded(db: Executor, before: number): Promise<number> {
  const old = db.selectFrom('webhook_deliveries').select('id').where('state', '=', 'succeeded').where('finished_at', '<', before);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
  const result = await db.deleteFrom('webhook_deliveries').where('state', '=', 'succeeded').where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The latest delivery (state and creation time) of each of these resource subscriptions. */
export async function latestDeliveries(db: Executor, subscriptionIds: string[]): Promise<{ subscription_id: string; state: string; created_at: number }[]> {
  return db
    .selectFrom('webhook_deliveries')
    .select(['subscription_id', 'state', 'created_at'])
    .where('subscription_id', 'in', subscriptionIds)
    .where('created_at', '=', (eb) => eb.selectFrom('webhook_deliveries as d').select((e) => e.fn.max('d.created_at').as('m')).whereRef('d.subscription_id', '=', 'webhook_deliveries.subscription_id'))
    .execute();
}
