import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import { capabilitiesOf, checkLimit, missingCapability, startOfUtcDay } from '../admin/capabilities.js';
import * as admin from '../admin/store.js';
import type { FlowDefinition } from './definition.js';
import { checkFileInputs } from './files-service.js';
import { limitsFor } from './limits.js';
import * as runs from './runs-store.js';
import * as flows from './store.js';
import type { Owner } from './store.js';
import type { FlowRow, FlowRunRow } from './tables.js';

export interface StartRunInput {
  owner: Owner;
  flowId: string;
  /** The user the run acts for. */
  userId: string;
  apiKeyId: string | null;
  inputs: Record<string, unknown>;
  idempotencyKey?: string;
}

const QUEUE_FULL_RETRY_SECONDS = 10;

/** The declared inputs, from the values given or their defaults; undeclared names are ignored. */
export function matchInputs(definition: FlowDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const input of definition.inputs ?? []) {
    if (Object.prototype.hasOwnProperty.call(given, input.name) && given[input.name] !== undefined) inputs[input.name] = given[input.name];
    else if (input.default !== undefined) inputs[input.name] = input.default;
    else if (input.required) throw new TesseraError('FLOW_INPUT_INVALID', `The input '${input.name}' is required.`);
    else inputs[input.name] = null;
  }
  return inputs;
}

/** The saved definition; one broken in storage still queues, and its run fails with the reason. */
function storedDefinition(flow: FlowRow): FlowDefinition {
  try {
    return JSON.parse(flow.definition) as FlowDefinition;
  } catch {
    return { name: flow.name, steps: [] };
  }
}

/**
 * Queues a run and returns at once. Below the owner's concurrency limit the run is STARTED,
 * at it QUEUED; over the cap of waiting runs the answer is 429. The same idempotency key
 * returns the run it first started.
 */
export async function startRun(ctx: AppContext, input: StartRunInput): Promise<{ run: FlowRunRow; flow: FlowRow }> {
  const flow = await flows.findFlow(ctx.db, input.owner, input.flowId);
  if (!flow) throw new TesseraError('FLOW_NOT_FOUND');
  if (input.idempotencyKey !== undefined) {
    const earlier = await runs.findByIdempotencyKey(ctx.db, input.owner, input.idempotencyKey);
    if (earlier) return { run: earlier, flow };
  }
  const definition = storedDefinition(flow);
  const inputs = matchInputs(definition, input.inputs);
  await checkFileInputs(ctx.db, input.owner, definition, inputs);
  // The instance owner's levers (src/admin): may the account the run acts for run flows at all.
  const { effective } = await capabilitiesOf(ctx, ctx.db, input.userId);
  if (!effective.flows) throw missingCapability('flows');
  const limits = await limitsFor(ctx, ctx.db, input.owner);
  let run: FlowRunRow;
  try {
    run = await ctx.db.transaction().execute(async (trx) => {
      await runs.lockOwner(trx, ctx.dialect, input.owner);
      await checkLimit(effective, 'max_runs_per_day', () => admin.countRunsSince(trx, input.userId, startOfUtcDay(Date.now())));
      const waiting = await runs.countInStates(trx, input.owner, runs.WAITING);
      if (waiting >= limits.maxQueued) {
        const error = new TesseraError('RUN_QUEUE_FULL', `${waiting} runs are already waiting (the limit is ${limits.maxQueued}). Try again in ${QUEUE_FULL_RETRY_SECONDS} seconds.`);
        error.retryAfter = QUEUE_FULL_RETRY_SECONDS;
        throw error;
      }
      const active = await runs.countInStates(trx, input.owner, runs.ACTIVE);
      const row: FlowRunRow = {
        id: newPublicId(22),
        flow_id: flow.id,
        owner_type: input.owner.type,
        owner_id: input.owner.id,
        user_id: input.userId,
        api_key_id: input.apiKeyId,
        state: active + waiting < limits.maxConcurrent ? 'STARTED' : 'QUEUED',
        definition: flow.definition,
        inputs: JSON.stringify(inputs),
        outputs: '{}',
        log: '[]',
        idempotency_key: input.idempotencyKey ?? null,
        claimed_by: null,
        heartbeat_at: null,
        created_at: Date.now(),
        started_at: null,
        finished_at: null,
      };
      await runs.insertRun(trx, row);
      return row;
    });
  } catch (err) {
    // Two starts with one idempotency key raced: the unique index kept the first.
    if (input.idempotencyKey !== undefined && isUniqueViolation(err)) {
      const earlier = await runs.findByIdempotencyKey(ctx.db, input.owner, input.idempotencyKey);
      if (earlier) return { run: earlier, flow };
    }
    throw err;
  }
  ctx.flowSignals.queued();
  return { run, flow };
}
