import type { AppContext } from '../context.js';
import { claimRuns, failAbandonedRuns, liveWorkers, newWorkerId, type ClaimedRun } from './claim.js';
import { executeRun, type StopReason, type WorkerLogger } from './executor.js';
import { flowSettings } from './limits.js';
import { deliverOutbox } from './outbox.js';
import * as runs from './runs-store.js';

export interface WorkerOptions {
  concurrency?: number;
  /** How often an idle worker looks for runs queued by other processes. */
  pollMs?: number;
  heartbeatMs?: number;
  /** A run whose heartbeat is older than this is abandoned (its worker died). */
  staleMs?: number;
}

interface Active {
  controller: AbortController;
  reason: StopReason | undefined;
  done: Promise<unknown>;
}

/**
 * Executes queued runs: claims as many as it has free slots (up to `concurrency`), keeps
 * their heartbeat, aborts the ones killed (in this process at once, elsewhere on the next
 * heartbeat), ends runs abandoned by dead workers and delivers the email outbox.
 */
export class FlowWorker {
  readonly id = newWorkerId();
  private readonly active = new Map<string, Active>();
  private stopping = false;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private unlisten: () => void = () => undefined;
  private readonly options: Required<WorkerOptions>;

  constructor(private readonly ctx: AppContext, private readonly logger: WorkerLogger, options: WorkerOptions = {}) {
    const settings = flowSettings(ctx);
    // The lease (TESSERA_FLOW_LEASE_SECONDS, 30 s by default) is renewed 15 times over: every 2 s by default.
    const staleMs = options.staleMs ?? settings.leaseSeconds * 1000;
    this.options = { concurrency: settings.workerConcurrency, pollMs: 1000, heartbeatMs: Math.max(100, Math.floor(staleMs / 15)), staleMs, ...options };
  }

  private readonly onQueued = () => this.wake?.();
  private readonly onKill = (runId: string) => this.abort(runId, 'kill');

  async start(): Promise<void> {
    liveWorkers.add(this.id);
    this.unlisten = this.ctx.flowSignals.listen(this.onQueued, this.onKill);
    await this.sweep();
    this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatMs));
    this.timers.push(setInterval(() => void this.sweep(), this.options.staleMs / 2));
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets running runs finish for `graceMs`, then aborts them (they end FAILED). */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loopDone;
    const all = Promise.allSettled([...this.active.values()].map((a) => a.done));
    const grace = setTimeout(() => {
      for (const runId of this.active.keys()) this.abort(runId, 'shutdown');
    }, graceMs);
    await all;
    clearTimeout(grace);
    for (const timer of this.timers) clearInterval(timer);
    this.unlisten();
    liveWorkers.delete(this.id);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const free = this.options.concurrency - this.active.size;
      if (free <= 0) {
        await this.sleep(this.options.pollMs);
        continue;
      }
      let claimed: ClaimedRun[] = [];
      try {
        claimed = await claimRuns(this.ctx, this.id, free);
      } catch (err) {
        this.logger.error({ err }, 'flow worker: claiming runs failed');
      }
      for (const c of claimed) this.launch(c);
      if (claimed.length > 0) continue;
      await this.deliverEmails();
      if (!this.stopping) await this.sleep(this.options.pollMs);
    }
  }

  private launch({ run, limits }: ClaimedRun): void {
    const entry: Active = { controller: new AbortController(), reason: undefined, done: Promise.resolve() };
    this.active.set(run.id, entry);
    entry.done = executeRun(this.ctx, run, { signal: entry.controller.signal, reason: () => entry.reason, limits, logger: this.logger })
      .catch((err) => this.logger.error({ err, runId: run.id }, 'flow worker: recording a run failed'))
      .finally(() => {
        this.active.delete(run.id);
        this.wake?.();
      });
  }

  private abort(runId: string, reason: StopReason): void {
    const entry = this.active.get(runId);
    if (!entry || entry.controller.signal.aborted) return;
    entry.reason = reason;
    entry.controller.abort();
  }

  /** Keeps this worker's runs alive in the database and picks up kills made by other processes. */
  private async heartbeat(): Promise<void> {
    const ids = [...this.active.keys()];
    if (ids.length === 0) return;
    try {
      await runs.heartbeat(this.ctx.db, ids, Date.now());
      for (const id of await runs.terminatingAmong(this.ctx.db, ids)) this.abort(id, 'kill');
    } catch (err) {
      this.logger.error({ err }, 'flow worker: heartbeat failed');
    }
  }

  private async sweep(): Promise<void> {
    try {
      const ended = await failAbandonedRuns(this.ctx, this.options.staleMs);
      if (ended > 0) this.logger.warn({ ended }, 'flow worker: ended runs abandoned by a stopped worker');
    } catch (err) {
      this.logger.error({ err }, 'flow worker: checking abandoned runs failed');
    }
  }

  private async deliverEmails(): Promise<void> {
    const { smtpUrl, smtpFrom, smtpTlsCa } = flowSettings(this.ctx);
    if (!smtpUrl) return;
    try {
      await deliverOutbox(this.ctx, { url: smtpUrl, from: smtpFrom, caFile: smtpTlsCa });
    } catch (err) {
      this.logger.error({ err }, 'flow worker: email delivery failed');
    }
  }
}
