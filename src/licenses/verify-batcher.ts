import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import type { LicenseView } from './store.js';
import { LicenseViewCache, type CachedLicense } from './view-cache.js';
import { LoggedUses, UpdatedUses, type UseCounter } from './use-counter.js';
import { settleUses } from './use-log-store.js';
import * as licenses from './verify-store.js';

/** One verify request waiting for its batch. */
export interface VerifyTicket {
  /** The license key as the caller sent it (hashed only if its license is not cached). */
  key: string;
  /** Count a use (increment_uses_count). */
  increment: boolean;
  /** Decides, inside the batch's transaction, whether the license found by the key passes. */
  judge(license: LicenseView, now: number): TesseraError | null;
}

export interface VerifyOutcome {
  license: CachedLicense;
  /** The license's uses right after this request's own use (or as it stood, without one). */
  uses: number;
  /** Found by a retired key still in its grace period. */
  viaGraceKey: boolean;
}

/** `YYYY-MM-DD` (UTC) of a time: the day a verification is counted under. */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** How long a verify refused for a full queue is told to wait (Retry-After, seconds). */
const BUSY_RETRY_SECONDS = 1;

interface Waiting {
  ticket: VerifyTicket;
  resolve(outcome: VerifyOutcome): void;
  reject(error: unknown): void;
}

/** PostgreSQL deadlock / serialization failure: the batch is simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Group commit for license verification. Requests submit a ticket and wait; the batcher runs
 * every waiting ticket in ONE transaction (the lookups, then every use of the batch counted at
 * once: see UseCounter), and only after that transaction commits answers each request
 * with its own count, handed out in arrival order. So a use a client was told about is durable, and
 * the write costs one commit per batch instead of one per request.
 *
 * A batch starts on the next turn of the event loop after the first ticket arrives (all
 * requests parsed in between join it) and while one runs, new tickets wait for the next.
 * Lookup and increment happen in the same transaction (on PostgreSQL under row locks), so a
 * rotation or a disable is either entirely before or entirely after a verification. Licenses
 * verified before come from the LicenseViewCache, checked against the database's view epoch in
 * that transaction; only their uses are read or counted.
 *
 * The batch also adds its verifications to license_verification_days (succeeded / refused per
 * license and UTC day) in the same transaction: no timer, nothing kept in memory, and a count is
 * exactly as durable as the use it goes with.
 *
 * Backpressure: at most `queueLimit` tickets wait or run at once (TESSERA_LICENSE_VERIFY_QUEUE_LIMIT);
 * past it, submit refuses at once with LICENSE_VERIFY_BUSY (503, Retry-After) instead of growing
 * memory while the database is slow.
 */
export class VerifyBatcher {
  private waiting: Waiting[] = [];
  /** Tickets in the batch being run. */
  private inFlight = 0;
  private running: Promise<void> | null = null;
  private foldTimer: NodeJS.Timeout | undefined;
  /** The background fold scheduled or running, if any (see scheduledFold). */
  private foldPending: Promise<void> | null = null;
  private foldSettled: () => void = () => undefined;
  /** While set, batches wait for it before they start (see hold). */
  private gate: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly cache: LicenseViewCache,
    private readonly uses: UseCounter,
    private readonly queueLimit = 10_000,
    /** How long counted uses may stay in license_use_log before a background fold (SQLite; TESSERA_LICENSE_USE_FOLD_DELAY_MS). */
    private readonly foldDelayMs = 2000,
    private readonly maxBatch = 512,
  ) {}

  /** Tickets waiting for a batch or in the one running. */
  get depth(): number {
    return this.waiting.length + this.inFlight;
  }

  /**
   * Holds every batch that has not started yet until the returned function is called (tickets
   * keep queueing meanwhile, up to the limit): how tests stand for a slow database.
   */
  hold(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.gate = gate;
    return () => {
      if (this.gate === gate) this.gate = null;
      release();
    };
  }

  /** Logged uses are folded into licenses.uses `foldDelayMs` after they were counted (see LoggedUses). */
  private foldLater(): void {
    if (this.foldTimer || !(this.uses instanceof LoggedUses)) return;
    let settled!: () => void;
    const pending = new Promise<void>((done) => (settled = done));
    this.foldPending = pending;
    this.foldSettled = settled;
    this.foldTimer = setTimeout(() => {
      this.foldTimer = undefined; // uses counted from now on schedule the next fold
      void this.fold().finally(() => {
        if (this.foldPending === pending) this.foldPending = null;
        settled();
      });
    }, this.foldDelayMs);
    this.foldTimer.unref();
  }

  /**
   * Folds the uses logged so far into licenses.uses now, in a transaction of its own (what the
   * background fold does when its delay is over). A failure is a warning: the uses stay logged
   * and are folded later.
   */
  async fold(): Promise<void> {
    if (!(this.uses instanceof LoggedUses)) return;
    await this.uses.fold(this.ctx.db).catch((err: Error) => process.emitWarning(`Folding counted license uses failed: ${err.message}`));
  }

  /** The latest background fold, settled once it has run (null: none is scheduled or running). */
  scheduledFold(): Promise<void> | null {
    return this.foldPending;
  }

  submit(ticket: VerifyTicket): Promise<VerifyOutcome> {
    if (this.depth >= this.queueLimit) {
      const error = new TesseraError('LICENSE_VERIFY_BUSY');
      error.retryAfter = BUSY_RETRY_SECONDS;
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ ticket, resolve, reject });
      if (!this.running) this.running = new Promise((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once every submitted ticket has been answered (server shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
    if (this.foldTimer) {
      // Not started yet: folded below instead.
      clearTimeout(this.foldTimer);
      this.foldTimer = undefined;
      this.foldPending = null;
      this.foldSettled();
    }
    await this.foldPending;
    await settleUses(this.ctx.db);
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        while (this.gate) await this.gate;
        const batch = this.waiting.splice(0, this.maxBatch);
        this.inFlight = batch.length;
        await this.runWithRetry(batch);
        this.inFlight = 0;
      }
    } finally {
      this.inFlight = 0;
      this.running = null;
    }
  }

  private async runWithRetry(batch: Waiting[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const settle = await this.run(batch);
        settle();
        return;
      } catch (err) {
        if (attempt < 3 && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        for (const w of batch) w.reject(err);
        return;
      }
    }
  }

  /**
   * The licenses the batch's keys name, by key. On PostgreSQL the cached ones are locked before
   * the epoch is read: a change committed before the lock is seen through the epoch, and one
   * that comes after waits for the batch to commit. Keys not cached are hashed (HMAC) and looked up.
   * Returns the uses epoch read with the view epoch (one row) for the UseCounter.
   */
  private async views(trx: Executor, keys: string[]): Promise<{ found: Map<string, CachedLicense>; usesEpoch: number }> {
    const { dialect } = this.ctx;
    if (dialect === 'postgres') {
      const cachedIds = keys.flatMap((key) => this.cache.get(key)?.view.id ?? []);
      if (cachedIds.length > 0) await licenses.usesOf(trx, dialect, cachedIds);
    }
    const epochs = await licenses.epochs(trx, dialect);
    this.cache.sync(epochs.view);
    const found = new Map<string, CachedLicense>();
    const misses = new Map<string, string>(); // key hash → key
    for (const key of keys) {
      const entry = this.cache.get(key);
      if (entry) found.set(key, entry);
      else misses.set(this.ctx.keys.hash(key), key);
    }
    if (misses.size > 0) {
      const views = await licenses.viewsForBatch(trx, dialect, [...misses.keys()]);
      for (const [hash, key] of misses) {
        const view = views.get(hash);
        if (view) found.set(key, this.cache.remember(key, hash, view));
      }
    }
    return { found, usesEpoch: epochs.uses };
  }

  /** Runs one batch in one transaction; returns how to answer its requests once committed. */
  private async run(batch: Waiting[]): Promise<() => void> {
    const { db } = this.ctx;
    return db.transaction().execute(async (trx) => {
      const now = this.ctx.clock();
      const { found, usesEpoch } = await this.views(trx, [...new Set(batch.map((w) => w.ticket.key))]);

      const verdicts = batch.map((w) => {
        const entry = found.get(w.ticket.key);
        const license = entry?.view;
        if (!license) return { w, entry: undefined, error: new TesseraError('LICENSE_NOT_FOUND') };
        const viaGraceKey = license.key_hash !== entry.keyHash;
        if (viaGraceKey && !(license.grace_ends_at !== null && license.grace_ends_at > now)) {
          return { w, entry: undefined, error: new TesseraError('LICENSE_NOT_FOUND') };
        }
        return { w, entry, viaGraceKey, error: w.ticket.judge(license, now) };
      });

      const increments = new Map<string, number>();
      const uncounted = new Set<string>();
      for (const v of verdicts) {
        if (!v.entry || v.error) continue;
        const id = v.entry.view.id;
        if (v.w.ticket.increment) increments.set(id, (increments.get(id) ?? 0) + 1);
        else uncounted.add(id);
      }
      const { totals, committed } = await this.uses.count(trx, increments, uncounted, usesEpoch);
      await this.countVerifications(trx, verdicts, now);

      // Hand out counts in arrival order: the first of n increments sees total - n + 1.
      const running = new Map<string, number>(totals);
      for (const [id, n] of increments) running.set(id, totals.get(id)! - n);
      return () => {
        committed();
        if (increments.size > 0) this.foldLater();
        for (const v of verdicts) {
          if (v.error) {
            v.w.reject(v.error);
            continue;
          }
          const id = v.entry!.view.id;
          let uses = running.get(id)!;
          if (v.w.ticket.increment) running.set(id, ++uses);
          v.w.resolve({ license: v.entry!, uses, viaGraceKey: v.viaGraceKey! });
        }
      };
    });
  }

  /** Adds the batch's verifications of found licenses to their day, in the batch's transaction. */
  private async countVerifications(trx: Executor, verdicts: { entry?: CachedLicense | undefined; error: TesseraError | null }[], now: number): Promise<void> {
    const day = utcDay(now);
    const counts = new Map<string, licenses.VerificationCount>();
    for (const v of verdicts) {
      if (!v.entry) continue;
      const licenseId = v.entry.view.id;
      let count = counts.get(licenseId);
      if (!count) counts.set(licenseId, (count = { licenseId, day, succeeded: 0, refused: 0 }));
      if (v.error) count.refused++;
      else count.succeeded++;
    }
    if (counts.size === 0) return;
    // One order for every batch: the day rows are locked like the licenses' rows are.
    const sorted = [...counts.values()].sort((a, b) => (a.licenseId < b.licenseId ? -1 : a.licenseId > b.licenseId ? 1 : 0));
    await licenses.addVerificationCounts(trx, this.ctx.dialect, sorted);
  }
}

const batchers = new WeakMap<AppContext, VerifyBatcher>();

/** The context's batcher (one per server process and database). */
export function verifyBatcher(ctx: AppContext): VerifyBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) {
    const uses = ctx.dialect === 'postgres' ? new UpdatedUses() : new LoggedUses();
    batcher = new VerifyBatcher(ctx, new LicenseViewCache(ctx.config.licenseCacheSize), uses, ctx.config.licenseVerifyQueueLimit, ctx.config.licenseUseFoldDelayMs);
    batchers.set(ctx, batcher);
  }
  return batcher;
}
