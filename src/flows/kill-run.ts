import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import * as runs from './runs-store.js';
import type { Owner } from './store.js';

/**
 * Stops a run. A waiting run ends TERMINATED at once; a running one becomes TERMINATING and its
 * worker ends it TERMINATED; a finished run is left alone (success false).
 */
export async function killRun(ctx: AppContext, owner: Owner, runId: string, userId: string, actor: Actor): Promise<{ success: boolean }> {
  const run = await runs.findRun(ctx.db, owner, runId);
  if (!run) throw new TesseraError('RUN_NOT_FOUND');
  const now = Date.now();
  const log = [...(JSON.parse(run.log) as string[]), 'Run terminated before it started.'];
  let success = await runs.transition(ctx.db, runId, runs.WAITING, { state: 'TERMINATED', finished_at: now, log: JSON.stringify(log) });
  if (!success) success = await runs.transition(ctx.db, runId, ['RUNNING'], { state: 'TERMINATING' });
  if (!success) success = (await runs.findRunById(ctx.db, runId))?.state === 'TERMINATING';
  if (success) {
    ctx.flowSignals.kill(runId);
    await recordAudit(ctx.db, { actor, userId, action: 'flow.run_killed', target: { type: 'flow_run', id: runId }, metadata: { flow_id: run.flow_id } });
  }
  return { success };
}
