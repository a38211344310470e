import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import { PollLoop } from '../util/poll-loop.js';
import { accessFlow } from './service.js';
import { startRun } from './start-run.js';
import { countDueBetween, latestDueAtOrBefore, nextDueAfter } from './trigger-schedule.js';
import * as triggers from './trigger-store.js';
import { isoTime } from '../util/dates.js';

export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SchedulerOptions {
  /** Milliseconds since the epoch (default: the context's clock); tests pass a clock they move by hand. */
  clock?: () => number;
  /** How often an idle scheduler looks for due schedules and fires of other processes. */
  pollMs?: number;
}

const BATCH = 100;
const QUEUE_FULL_RETRY_MS = 10_000;
const FIRE_RETENTION_MS = 30 * 86400_000;
const PRUNE_EVERY_MS = 3600_000;
const silent: SchedulerLogger = { info() {}, warn() {}, error() {} };

/**
 * Starts flows from their triggers (src/flows/trigger-service.ts). Each look (`tick`):
 *
 * 1. **Claim due schedules.** For every schedule whose `next_due_at` has come, the latest due
 *    time at or before now is claimed by inserting a fire with the unique key
 *    `(trigger_id, "due:<time>")`. Of several schedulers (processes, machines) on one database
 *    only the first insert wins (`isUniqueViolation` for the others), so a due time runs once.
 *    After downtime the due times missed in between are not run one by one: the latest is run
 *    once and the fire records how many were skipped (`missed`). `next_due_at` then moves to the
 *    first due time after now.
 * 2. **Start pending fires.** Each pending fire (a claimed due time, or an event queued in its
 *    own transaction by src/flows/trigger-events.ts) starts its run with the idempotency key
 *    `trigger:<fire id>`: two schedulers starting the same fire get the same run. A full queue
 *    is retried 10 s later; refused inputs or a flow gone end the fire `failed` with the reason.
 *
 * The server starts it when ready (unless TESSERA_TRIGGERS=0) and stops it on close.
 */
export class TriggerScheduler {
  private readonly clock: () => number;
  private readonly pollMs: number;
  private logger: SchedulerLogger = silent;
  private readonly loop = new PollLoop(
    async () => {
      await this.tick();
      return false;
    },
    () => this.pollMs,
    (err) => this.logger.error({ err }, 'trigger scheduler: a round failed'),
  );
  private lastPrune = -Infinity;

  constructor(private readonly ctx: AppContext, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? (() => ctx.clock());
    this.pollMs = options.pollMs ?? ctx.config.flows.triggerPollMs;
  }

  /** The scheduler's time: trigger creation and due times read it, so a test moves them together. */
  now(): number {
    return this.clock();
  }

  start(logger: SchedulerLogger = silent): void {
    this.logger = logger;
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks a started scheduler to look now (an event queued fires; its transaction may commit just after). */
  wake(): void {
    this.loop.kick();
  }

  /** One look: claims the due schedules, then starts the pending fires. */
  async tick(): Promise<{ claimed: number; started: number }> {
    const now = this.clock();
    const claimed = await this.claimDue(now);
    const started = await this.startPending(now);
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await triggers.pruneFires(this.ctx.db, now - FIRE_RETENTION_MS);
    }
    return { claimed, started };
  }

  /** Claims the latest due time of every schedule that is due; returns how many this scheduler won. */
  async claimDue(now: number): Promise<number> {
    let won = 0;
    for (const t of await triggers.dueSchedules(this.ctx.db, now, BATCH)) {
      const schedule = { cron: t.cron!, timezone: t.timezone! };
      const from = t.next_due_at!;
      const dueAt = Math.max(latestDueAtOrBefore(schedule, now) ?? from, from);
      try {
        await triggers.insertFire(this.ctx.db, {
          id: newId(),
          trigger_id: t.id,
          fire_key: `due:${dueAt}`,
          due_at: dueAt,
          missed: countDueBetween(schedule, from, dueAt),
          inputs_encrypted: null,
          state: 'pending',
          run_id: null,
          error: null,
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
          started_at: null,
        });
        won++;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Another scheduler claimed this due time first: it runs there, once.
      }
      await triggers.advance(this.ctx.db, t.id, from, nextDueAfter(schedule, now));
    }
    return won;
  }

  /** Starts the run of every pending fire; returns how many runs this call started or found started. */
  async startPending(now: number): Promise<number> {
    let started = 0;
    for (const fire of await triggers.pendingFires(this.ctx.db, now, BATCH)) {
      const fail = (error: string) => triggers.updateFire(this.ctx.db, fire.id, { state: 'failed', error, inputs_encrypted: null, attempts: fire.attempts + 1 });
      try {
        // The account that added the trigger must still reach the flow (a team member who left does not).
        await accessFlow(this.ctx.db, fire.user_id, fire.flow_id, false);
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
        await fail('The flow was deleted, or the account that added the trigger can no longer see it.');
        continue;
      }
      const inputs: Record<string, unknown> =
        fire.inputs_encrypted !== null
          ? (() => {
              const event = JSON.parse(this.ctx.keys.decrypt(fire.inputs_encrypted)) as Record<string, unknown>;
              return { ...event, event };
            })()
          : { scheduled_at: isoTime(fire.due_at) };
      try {
        const { run } = await startRun(this.ctx, {
          owner: { type: fire.owner_type, id: fire.owner_id },
          flowId: fire.flow_id,
          userId: fire.user_id,
          apiKeyId: null,
          inputs,
          idempotencyKey: `trigger:${fire.id}`,
        });
        if (await triggers.updateFire(this.ctx.db, fire.id, { state: 'started', run_id: run.id, inputs_encrypted: null, started_at: now, attempts: fire.attempts + 1, error: null })) started++;
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
        if (err.code === 'RUN_QUEUE_FULL') {
          await triggers.updateFire(this.ctx.db, fire.id, { next_attempt_at: now + QUEUE_FULL_RETRY_MS, error: err.message, attempts: fire.attempts + 1 });
        } else {
          await fail(err.message);
          this.logger.warn({ triggerId: fire.trigger_id, code: err.code }, 'trigger scheduler: a triggered run could not start');
        }
      }
    }
    return started;
  }
}
