import os from 'node:os';
import type { AppContext } from '../context.js';
import { flowSettings, limitsFor } from './limits.js';
import type { FlowLimits } from './settings.js';
import * as runs from './runs-store.js';
import type { FlowRunRow } from './tables.js';

export interface ClaimedRun {
  run: FlowRunRow;
  limits: FlowLimits;
}

/**
 * Claims up to `max` of the oldest waiting runs whose owners are below their concurrency limit,
 * in one transaction. On PostgreSQL candidates are taken with FOR UPDATE SKIP LOCKED (workers
 * never wait on each other's candidates) and each owner's count is checked again under the
 * owner's advisory lock (taken in a fixed order); on SQLite transactions run one at a time.
 * Either way the conditional update WHERE state IN (STARTED, QUEUED) lets exactly one worker
 * have a run.
 */
export async function claimRuns(ctx: AppContext, workerId: string, max: number): Promise<ClaimedRun[]> {
  const defaultLimit = flowSettings(ctx).limits.maxConcurrent;
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await runs.claimCandidates(trx, ctx.dialect, defaultLimit, max);
    // Free slots per owner, under the owner's lock: candidates beyond them wait for the next claim.
    const slots = new Map<string, { free: number; limits: FlowLimits }>();
    const ownerKey = (r: { owner_type: string; owner_id: string }) => `${r.owner_type}:${r.owner_id}`;
    for (const key of [...new Set(rows.map(ownerKey))].sort()) {
      const [type, ...rest] = key.split(':');
      const owner = { type: type as 'user' | 'team', id: rest.join(':') };
      await runs.lockOwner(trx, ctx.dialect, owner);
      const limits = await limitsFor(ctx, trx, owner);
      slots.set(key, { free: limits.maxConcurrent - (await runs.countInStates(trx, owner, runs.ACTIVE)), limits });
    }
    const now = Date.now();
    const claimed: ClaimedRun[] = [];
    for (const candidate of rows) {
      const slot = slots.get(ownerKey(candidate))!;
      if (slot.free <= 0) continue;
      if (!(await runs.transition(trx, candidate.id, runs.WAITING, { state: 'RUNNING', claimed_by: workerId, started_at: now, heartbeat_at: now }))) continue;
      slot.free--;
      claimed.push({ run: (await runs.findRunById(trx, candidate.id))!, limits: slot.limits });
    }
    return claimed;
  });
}

/** Workers alive in this process, so that a run claimed by a stopped one is known abandoned. */
export const liveWorkers = new Set<string>();

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * With SQLite every worker runs on this machine, so a run whose worker's process is gone (or,
 * in this process, whose worker stopped) is abandoned at once. Otherwise (PostgreSQL, several
 * machines) only a heartbeat older than `staleMs` tells.
 */
function abandoned(ctx: AppContext, run: { claimed_by: string | null; heartbeat_at: number | null }, now: number, staleMs: number): boolean {
  if ((run.heartbeat_at ?? 0) < now - staleMs) return true;
  if (ctx.dialect !== 'sqlite' || !run.claimed_by) return false;
  const [host, pid] = run.claimed_by.split(':');
  if (host !== os.hostname()) return false;
  return Number(pid) === process.pid ? !liveWorkers.has(run.claimed_by) : !pidAlive(Number(pid));
}

/** Ends runs left RUNNING by a dead worker as FAILED (TERMINATING ones as TERMINATED), with a log line. */
export async function failAbandonedRuns(ctx: AppContext, staleMs: number): Promise<number> {
  const now = Date.now();
  const active = await runs.activeRuns(ctx.db);
  let ended = 0;
  for (const run of active) {
    if (!abandoned(ctx, run, now, staleMs)) continue;
    const killed = run.state === 'TERMINATING';
    const line = killed
      ? 'Run terminated: its worker stopped before it finished.'
      : 'Run failed: the worker running it stopped (the process ended or lost the database) before it finished; it was not retried, since its steps may have had effects.';
    const log = JSON.stringify([...(JSON.parse(run.log) as string[]), line]);
    if (await runs.transition(ctx.db, run.id, [run.state], { state: killed ? 'TERMINATED' : 'FAILED', finished_at: now, log })) ended++;
  }
  return ended;
}
