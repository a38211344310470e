import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { findLimits, upsertLimits } from './limits-store.js';
import type { FlowLimits, FlowSettings } from './settings.js';
import type { Owner } from './store.js';

/** The flow settings of this process (environment, read with the rest of the configuration). */
export function flowSettings(ctx: AppContext): FlowSettings {
  return ctx.config.flows;
}

/** An owner's limits: its row in `flow_limits` over the environment's defaults. */
export async function limitsFor(ctx: AppContext, db: Executor, owner: Owner): Promise<FlowLimits> {
  const defaults = flowSettings(ctx).limits;
  const row = await findLimits(db, owner);
  return {
    maxConcurrent: row?.max_concurrent ?? defaults.maxConcurrent,
    maxQueued: row?.max_queued ?? defaults.maxQueued,
    maxRunSeconds: row?.max_run_seconds ?? defaults.maxRunSeconds,
    maxOutputBytes: row?.max_output_bytes ?? defaults.maxOutputBytes,
  };
}

/** Sets (or, with null, resets to the default) some limits of one user or team. */
export async function setLimits(ctx: AppContext, owner: Owner, limits: Partial<Record<keyof FlowLimits, number | null>>): Promise<FlowLimits> {
  const values = {
    max_concurrent: limits.maxConcurrent,
    max_queued: limits.maxQueued,
    max_run_seconds: limits.maxRunSeconds,
    max_output_bytes: limits.maxOutputBytes,
  };
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, number | null>;
  if (Object.keys(given).length === 0) return limitsFor(ctx, ctx.db, owner);
  await upsertLimits(ctx.db, owner, given);
  return limitsFor(ctx, ctx.db, owner);
}
