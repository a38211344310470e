import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { TesseraError } from '../../http/errors.js';
import type { LicenseRef } from '../params.js';
import type { CachedLicense, LicenseViewCache } from './cache.js';
import * as licenses from './store.js';
import { tallyVerifications, type UseTally } from './tally.js';
import { foundLicense, isRefusal, refusalError, verdict } from './verdict.js';

/** One verify request waiting for its batch. */
export interface VerifyTicket {
  /** The license key as the caller sent it, in normal form (hashed only if its license is not cached). */
  key: string;
  /** What the request names besides the key: judged by `verdict` inside the batch's transaction. */
  ref: LicenseRef;
  /** Count a use (increment_uses_count). */
  increment: boolean;
}

export interface VerifyOutcome {
  license: CachedLicense;
  /** The license's uses right after this request's own use (or as it stood, without one). */
  uses: number;
  /** Found by a retired key still in its grace period. */
  viaGraceKey: boolean;
}

/** What the batcher reads of the application context (the context itself, so a test's ctx.clock is seen). */
export type BatcherContext = Pick<AppContext, 'db' | 'dialect' | 'keys' | 'clock'>;

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
 * every waiting ticket in ONE transaction (the lookups, each ticket's verdict, then every use of
 * the batch counted at once by the UseTally) and only after that transaction commits answers
 * each request with its own count, handed out in arrival order. So a use a client was told about
 * is durable, and the write costs one commit per batch instead of one per request.
 *
 * A batch starts on the next turn of the event loop after the first ticket arrives (all
 * requests parsed in between join it) and while one runs, new tickets wait for the next.
 * Lookup and increment happen in the same transaction (on PostgreSQL under row locks), so a
 * rotation or a disable is either entirely before or entirely after a verification. Licenses
 * verified before come from the LicenseViewCache, checked against the database's view epoch in
 * that transaction; only their uses are read or counted.
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
  /** While set, batches wait for it before they start (see hold). */
  private gate: Promise<void> | null = null;

  constructor(
    private readonly ctx: BatcherContext,
    private readonly cache: LicenseViewCache,
    private readonly tally: UseTally,
    private readonly queueLimit = 10_000,
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

  /** Resolves once every submitted ticket has been answered and every counted use is folded (server shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
    await this.tally.settle();
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
   * Returns the uses epoch read with the view epoch (one row) for the UseTally.
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
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.clock();
      const { found, usesEpoch } = await this.views(trx, [...new Set(batch.map((w) => w.ticket.key))]);

      const judged = batch.map((w) => {
        const license = found.get(w.ticket.key);
        return { w, license, outcome: verdict(w.ticket.ref, license, now) };
      });

      const increments = new Map<string, number>();
      const uncounted = new Set<string>();
      for (const { w, license, outcome } of judged) {
        if (isRefusal(outcome)) continue;
        const id = license!.view.id;
        if (w.ticket.increment) increments.set(id, (increments.get(id) ?? 0) + 1);
        else uncounted.add(id);
      }
      const { totals, committed } = await this.tally.count(trx, increments, uncounted, usesEpoch);
      await tallyVerifications(
        trx,
        this.ctx.dialect,
        judged.flatMap(({ license, outcome }) => (license && foundLicense(outcome) ? [{ licenseId: license.view.id, refused: isRefusal(outcome) }] : [])),
        now,
      );

      // Hand out counts in arrival order: the first of n increments sees total - n + 1.
      const running = new Map<string, number>(totals);
      for (const [id, n] of increments) running.set(id, totals.get(id)! - n);
      return () => {
        committed();
        for (const { w, license, outcome } of judged) {
          if (isRefusal(outcome)) {
            w.reject(refusalError(outcome, license));
            continue;
          }
          const id = license!.view.id;
          let uses = running.get(id)!;
          if (w.ticket.increment) running.set(id, ++uses);
          w.resolve({ license: license!, uses, viaGraceKey: outcome === 'valid_grace_key' });
        }
      };
    });
  }
}
