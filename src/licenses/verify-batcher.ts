import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import type { LicenseView } from './store.js';
import { verificationTally, type VerificationTally } from './verification-tally.js';
import * as licenses from './verify-store.js';

/** One verify request waiting for its batch. */
export interface VerifyTicket {
  keyHash: string;
  /** Count a use (increment_uses_count). */
  increment: boolean;
  /** Decides, inside the batch's transaction, whether the license found by the key passes. */
  judge(license: LicenseView, now: number): TesseraError | null;
}

export interface VerifyOutcome {
  license: LicenseView;
  /** The license's uses right after this request's own use (or as it stood, without one). */
  uses: number;
  /** Found by a retired key still in its grace period. */
  viaGraceKey: boolean;
}

interface Waiting {
  ticket: VerifyTicket;
  resolve(outcome: VerifyOutcome): void;
  reject(error: unknown): void;
}

/** PostgreSQL deadlock / serialization failure: the batch is simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Group commit for license verification. Requests submit a ticket and wait; the batcher runs
 * every waiting ticket in ONE transaction (the lookups, then `uses = uses + n` for every license
 * of the batch in one statement), and only after that transaction commits answers each request
 * with its own count, handed out in arrival order. So a use a client was told about is durable, and
 * the write costs one commit per batch instead of one per request.
 *
 * A batch starts on the next turn of the event loop after the first ticket arrives (all
 * requests parsed in between join it) and while one runs, new tickets wait for the next.
 * Lookup and increment happen in the same transaction (on PostgreSQL under row locks), so a
 * rotation or a disable is either entirely before or entirely after a verification.
 */
export class VerifyBatcher {
  private waiting: Waiting[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly tally: VerificationTally,
    private readonly maxBatch = 512,
  ) {}

  submit(ticket: VerifyTicket): Promise<VerifyOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ticket, resolve, reject });
      if (!this.running) this.running = new Promise((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once every submitted ticket has been answered (server shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
    await this.tally.flush();
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        await this.runWithRetry(batch);
      }
    } finally {
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

  /** Runs one batch in one transaction; returns how to answer its requests once committed. */
  private async run(batch: Waiting[]): Promise<() => void> {
    const { db, dialect } = this.ctx;
    return db.transaction().execute(async (trx) => {
      const now = Date.now();
      const found = await licenses.viewsForBatch(trx, dialect, [...new Set(batch.map((w) => w.ticket.keyHash))]);

      const verdicts = batch.map((w) => {
        const license = found.get(w.ticket.keyHash);
        if (!license) return { w, license: undefined, error: new TesseraError('LICENSE_NOT_FOUND') };
        const viaGraceKey = license.key_hash !== w.ticket.keyHash;
        if (viaGraceKey && !(license.grace_ends_at !== null && license.grace_ends_at > now)) {
          return { w, license: undefined, error: new TesseraError('LICENSE_NOT_FOUND') };
        }
        return { w, license, viaGraceKey, error: w.ticket.judge(license, now) };
      });

      const increments = new Map<string, number>();
      for (const v of verdicts) {
        if (v.license && !v.error && v.w.ticket.increment) increments.set(v.license.id, (increments.get(v.license.id) ?? 0) + 1);
      }
      const totals = increments.size > 0 ? await licenses.incrementUses(trx, dialect, increments) : new Map<string, number>();

      // Hand out counts in arrival order: the first of n increments sees total - n + 1.
      const running = new Map<string, number>();
      for (const [id, n] of increments) running.set(id, totals.get(id)! - n);
      return () => {
        for (const v of verdicts) {
          if (v.license) this.tally.add(v.license.id, !v.error, now);
          if (v.error) {
            v.w.reject(v.error);
            continue;
          }
          const license = v.license!;
          let uses = running.get(license.id) ?? license.uses;
          if (v.w.ticket.increment) running.set(license.id, ++uses);
          v.w.resolve({ license, uses, viaGraceKey: v.viaGraceKey! });
        }
      };
    });
  }
}

const batchers = new WeakMap<AppContext, VerifyBatcher>();

/** The context's batcher (one per server process and database). */
export function verifyBatcher(ctx: AppContext): VerifyBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new VerifyBatcher(ctx, verificationTally(ctx))));
  return batcher;
}
