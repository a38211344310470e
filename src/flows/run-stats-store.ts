import type { Executor } from '../db/database.js';
import type { OwnerType, RunState } from './tables.js';

/** Runs per state of every flow of the given owners (a user's own and their teams'), or of one flow. */
export async function runsByState(db: Executor, owners: Array<{ type: OwnerType; id: string }>, flowId?: string): Promise<Map<RunState, number>> {
  if (owners.length === 0) return new Map();
  let query = db
    .selectFrom('flow_runs')
    .select((eb) => ['state', eb.fn.countAll<number>().as('runs')])
    .where((eb) => eb.or(owners.map((o) => eb.and([eb('owner_type', '=', o.type), eb('owner_id', '=', o.id)]))));
  if (flowId !== undefined) query = query.where('flow_id', '=', flowId);
  const rows = await query.groupBy('state').execute();
  return new Map(rows.map((r) => [r.state, Number(r.runs)]));
}
