import type { ServerKeys } from '../credentials/server-keys.js';
import { openOutputs } from './sealed-outputs.js';
import type { FlowRunRow } from './tables.js';
import { isoTime } from '../util/dates.js';

/** Times as the gumloop contract gives them: ISO 8601 UTC with milliseconds. */

/**
 * A run as get_pl_run returns it (gumloop contract, decision 5): every field always present.
 * Outputs stored encrypted (a rotated key) are opened: only the run's owner reads a run.
 */
export function presentRun(run: FlowRunRow & { api_user_id: string }, keys: ServerKeys) {
  return {
    run_id: run.id,
    saved_item_id: run.flow_id,
    user_id: run.api_user_id,
    state: run.state,
    inputs: JSON.parse(run.inputs) as Record<string, unknown>,
    outputs: openOutputs(keys, run.outputs),
    log: JSON.parse(run.log) as string[],
    created_ts: isoTime(run.created_at),
    finished_ts: isoTime(run.finished_at),
  };
}
