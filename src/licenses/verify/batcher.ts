import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { GroupCommit, Refused, type BatchAnswers } from '../../db/group-commit.js';
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


/**
 * Group commit for license verification (on src/db/group-commit.ts, as the token endpoint's
 * client_credentials grants are). Requests submit a ticket and wait; the batcher runs
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
  private readonly commits: GroupCommit<VerifyTicket, VerifyOutcome>;

  constructor(
    private readonly ctx: BatcherContext,
    private readonly cache: LicenseViewCache,
    private readonly tally: UseTally,
    queueLimit = 10_000,
    maxBatch = 512,
  ) {
    const busy = () => {
      const error = new TesseraError('LICENSE_VERIFY_BUSY');
      error.retryAfter = BUSY_RETRY_SECONDS;
      return error;
    };
    this.commits = new GroupCommit(ctx.db, (trx, tickets) => this.run(trx, tickets), busy, { maxBatch, queueLimit });
  }

  /** Tickets waiting for a batch or in the one running. */
  get depth(): number {
    return this.commits.depth;
  }

  /** Holds batches that have not started yet until the returned function is called (GroupCommit.hold). */
  hold(): () => void {
    return this.commits.hold();
  }

  submit(ticket: VerifyTicket): Promise<VerifyOutcome> {
    return this.commits.submit(ticket);
  }

  /** Resolves once every submitted ticket has been answered and every counted use is folded (server shutdown). */
  async idle(): Promise<void> {
    await this.commits.idle();
    await this.tally.settle();
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

  /** One batch, inside its transaction: each ticket's answer, handed out once it commits. */
  private async run(trx: Executor, tickets: VerifyTicket[]): Promise<BatchAnswers<VerifyOutcome>> {
    const now = this.ctx.clock();
    const { found, usesEpoch } = await this.views(trx, [...new Set(tickets.map((t) => t.key))]);

    const judged = tickets.map((ticket) => {
      const license = found.get(ticket.key);
      return { ticket, license, outcome: verdict(ticket.ref, license, now) };
    });

    const increments = new Map<string, number>();
    const uncounted = new Set<string>();
    for (const { ticket, license, outcome } of judged) {
      if (isRefusal(outcome)) continue;
      const id = license!.view.id;
      if (ticket.increment) increments.set(id, (increments.get(id) ?? 0) + 1);
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
    const results = judged.map(({ ticket, license, outcome }) => {
      if (isRefusal(outcome)) return new Refused(refusalError(outcome, license));
      const id = license!.view.id;
      let uses = running.get(id)!;
      if (ticket.increment) running.set(id, ++uses);
      return { license: license!, uses, viaGraceKey: outcome === 'valid_grace_key' };
    });
    return { results, committed };
  }
}
