import type { AppContext } from '../context.js';
import * as accounts from '../accounts/store.js';
import { TesseraError } from '../http/errors.js';
import { capabilitiesOf, missingCapability, STEP_CAPABILITIES } from '../admin/capabilities.js';
import { parseFlowDefinition, resolvedStepProblem, type FlowDefinition } from './definition.js';
import type { FlowLimits } from './settings.js';
import * as runs from './runs-store.js';
import { sealOutputs } from './sealed-outputs.js';
import { findStepType } from './steps/index.js';
import { StepError } from './steps/step.js';
import { TemplateError, renderValue, type TemplateScope } from './template.js';
import type { FlowRunRow, RunState } from './tables.js';

export type StopReason = 'kill' | 'shutdown';

/** Where a worker reports its own failures (the server's pino logger, or the console for `tessera worker`). */
export interface WorkerLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface Execution {
  signal: AbortSignal;
  /** Why `signal` fired, when it did. */
  reason(): StopReason | undefined;
  limits: FlowLimits;
  logger: WorkerLogger;
}

/** A failure as the run log shows it: our own sentences as they are, anything else as internal. */
function explain(err: unknown, logger: WorkerLogger, runId: string): string {
  if (err instanceof StepError || err instanceof TemplateError || err instanceof TesseraError) return err.message.replace(/\.$/, '');
  logger.error({ err, runId }, 'flow step crashed');
  return 'internal error (see the server log)';
}

/**
 * Runs a claimed run's steps in order and records the end: DONE with outputs, FAILED with the
 * reason, or TERMINATED. Never throws for a bad flow, an unknown step, a template error or a
 * failing step: each ends the run FAILED with a log line naming the step.
 */
export async function executeRun(ctx: AppContext, run: FlowRunRow, execution: Execution): Promise<RunState> {
  const log = JSON.parse(run.log) as string[];
  /** Secret values the steps produced: outputs holding one are stored encrypted. */
  const secrets: string[] = [];
  const started = Date.now();
  const timeLimit = AbortSignal.timeout(execution.limits.maxRunSeconds * 1000);
  const signal = AbortSignal.any([execution.signal, timeLimit]);

  const finish = async (state: RunState, line: string, outputs: Record<string, unknown> = {}): Promise<RunState> => {
    log.push(line);
    const at = Date.now();
    const from: RunState[] = state === 'TERMINATED' ? runs.ACTIVE : ['RUNNING'];
    if (await runs.transition(ctx.db, run.id, from, { state, finished_at: at, log: JSON.stringify(log), outputs: sealOutputs(ctx.keys, outputs, secrets) })) return state;
    // A kill arrived after the last step: it wins, the outputs are dropped.
    log.push('Run terminated.');
    await runs.transition(ctx.db, run.id, ['TERMINATING'], { state: 'TERMINATED', finished_at: at, log: JSON.stringify(log) });
    return 'TERMINATED';
  };
  const stopped = (label: string): Promise<RunState> => {
    if (execution.reason() === 'kill') return finish('TERMINATED', `${label}: stopped. Run terminated.`);
    if (execution.reason() === 'shutdown') return finish('FAILED', `${label}: stopped because the worker shut down. Run failed; it was not retried, since its steps may have had effects.`);
    return finish('FAILED', `${label}: stopped. Run failed: it exceeded its time limit of ${execution.limits.maxRunSeconds} s.`);
  };

  let definition: FlowDefinition;
  try {
    definition = parseFlowDefinition(JSON.parse(run.definition));
  } catch (err) {
    return finish('FAILED', `Run failed before its first step: ${explain(err, execution.logger, run.id)}`);
  }
  const user = await accounts.findUserById(ctx.db, run.user_id);
  // The instance owner's levers (src/admin), as they are when the run executes, not when it was queued.
  if (!user || user.disabled_at !== null) return finish('FAILED', 'Run failed before its first step: the account it acts for is disabled.');
  const { effective } = await capabilitiesOf(ctx, ctx.db, run.user_id);
  for (const [i, step] of definition.steps.entries()) {
    const needed = STEP_CAPABILITIES[step.type];
    if (needed && !effective[needed]) {
      return finish('FAILED', `[${i + 1}/${definition.steps.length}] ${step.id} (${step.type}) refused: ${missingCapability(needed).message.replace(/\.$/, '')}. Run failed before its first step.`);
    }
  }
  const scope: TemplateScope = {
    inputs: JSON.parse(run.inputs) as Record<string, unknown>,
    steps: {},
    run: { id: run.id, flow_id: run.flow_id, user_id: user?.external_id ?? null },
  };
  const total = definition.steps.length;
  for (const [i, step] of definition.steps.entries()) {
    const label = `[${i + 1}/${total}] ${step.id} (${step.type})`;
    if (signal.aborted) return stopped(label);
    try {
      const { id, type, ...params } = step;
      const resolved = { id, type, ...(renderValue(params, scope) as Record<string, unknown>) };
      const problem = resolvedStepProblem(resolved, label);
      if (problem) return finish('FAILED', `${problem}. Run failed.`);
      const result = await findStepType(type)!.run(resolved, { ctx, run: { id: run.id, flowId: run.flow_id, userId: run.user_id, owner: { type: run.owner_type, id: run.owner_id } }, signal, secrets });
      scope.steps[id] = result.output;
      if (result.secrets) secrets.push(...result.secrets);
      log.push(`${label}: ${result.summary}`);
      if (i < total - 1) await runs.writeProgress(ctx.db, run.id, log); // the last line is written with the end
    } catch (err) {
      if (signal.aborted) return stopped(label);
      return finish('FAILED', `${label} failed: ${explain(err, execution.logger, run.id)}. Run failed.`);
    }
  }
  if (signal.aborted) return stopped('After the last step');
  let outputs: Record<string, unknown>;
  try {
    outputs = (definition.outputs ? renderValue(definition.outputs, scope) : scope.steps) as Record<string, unknown>;
  } catch (err) {
    return finish('FAILED', `Outputs failed: ${explain(err, execution.logger, run.id)}. Run failed.`);
  }
  const size = Buffer.byteLength(JSON.stringify(outputs));
  if (size > execution.limits.maxOutputBytes) {
    return finish('FAILED', `Outputs are ${size} bytes, over the limit of ${execution.limits.maxOutputBytes} bytes. Run failed.`);
  }
  return finish('DONE', `Run finished in ${Date.now() - started} ms.`, outputs);
}
