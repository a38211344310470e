import type { Executor } from '../db/database.js';
import type { Owner } from './store.js';
import type { FlowLimitTable } from './tables.js';

type LimitColumns = Omit<FlowLimitTable, 'owner_type' | 'owner_id'>;

/** An owner's row of `flow_limits` (null columns fall back to the environment's defaults). */
export function findLimits(db: Executor, owner: Owner) {
  return db.selectFrom('flow_limits').selectAll().where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).executeTakeFirst();
}

/** Sets some columns of an owner's limits, making the row when it has none. */
export async function upsertLimits(db: Executor, owner: Owner, given: Partial<LimitColumns>): Promise<void> {
  await db
    .insertInto('flow_limits')
    .values({ owner_type: owner.type, owner_id: owner.id, max_concurrent: null, max_queued: null, max_run_seconds: null, max_output_bytes: null, ...given })
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doUpdateSet(given))
    .execute();
}
