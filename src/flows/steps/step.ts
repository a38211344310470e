import type { TObject } from 'typebox';
import type { Actor, AppContext } from '../../context.js';

/** What a step sees of the run it belongs to. */
export interface StepContext {
  ctx: AppContext;
  /** `owner`: the account or team whose run it is (whose files it reads and writes). */
  run: { id: string; flowId: string; userId: string; owner: { type: 'user' | 'team'; id: string } };
  /** Aborted when the run is killed, times out or the worker stops. */
  signal: AbortSignal;
  /** Secret values earlier steps of the run produced (StepResult.secrets): a step storing text holding one seals it. */
  secrets: readonly string[];
}

export interface StepResult {
  /** Available to later steps as `steps.<id>` and in the run's outputs. */
  output: unknown;
  /** One plain line for the run log, without the step id (the executor adds it). */
  summary: string;
  /** Secret values in `output` (a new license key): the run's stored outputs are then encrypted (sealed-outputs.ts). */
  secrets?: string[];
}

/** A built-in step type: its parameters (a TypeBox object, validated at save and after templating) and its work. */
export interface StepType {
  type: string;
  summary: string;
  params: TObject;
  /** Rules the schema cannot say (one of two fields, …), checked at save; a sentence or null. */
  check?(params: any): string | null;
  run(params: any, step: StepContext): Promise<StepResult>;
}

/** Who the audit log shows acting when a step changes data: the run. */
export function runActor(runId: string): Actor {
  return { type: 'system', id: `flow_run:${runId}`, ip: null };
}

/** A failure a step reports in the run log, as one sentence. */
export class StepError extends Error {}
