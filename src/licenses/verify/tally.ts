import type { Dialect } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { utcDay } from '../../util/dates.js';
import { appendUses, firstSeq, foldLog, rowsAfter, settleUses, type LogRow } from './use-log-store.js';
import { addVerificationCounts, incrementUses, usesOf, type VerificationCount } from './store.js';

/** Stored uses kept in memory at most (LoggedUses), before they are read afresh. */
const MAX_STORED = 100_000;

/** How a verify batch counts uses, inside its transaction (ctx.licenseVerify.tally). */
export interface UseTally {
  /**
   * Adds `increments` (license id → uses to add) and returns the uses of those licenses and of
   * `read` after them, plus what to do once the transaction has committed. `usesEpoch` is
   * license_view_epoch.uses_epoch as the batch read it.
   */
  count(trx: Executor, increments: Map<string, number>, read: Iterable<string>, usesEpoch: number): Promise<{ totals: Map<string, number>; committed(): void }>;
  /** Folds what is logged into licenses.uses now, in a transaction of its own (nothing to do when counted in place). */
  fold(): Promise<void>;
  /** The latest background fold, settled once it has run (null: none is scheduled or running). */
  scheduledFold(): Promise<void> | null;
  /** Server shutdown: no fold left scheduled, every logged use in licenses.uses. */
  settle(): Promise<void>;
}

/** PostgreSQL: `uses = uses + n` in place, under the row locks the batch already holds. */
export class UpdatedUses implements UseTally {
  async count(trx: Executor, increments: Map<string, number>, read: Iterable<string>) {
    const totals = increments.size > 0 ? await incrementUses(trx, increments) : new Map<string, number>();
    const rest = [...new Set(read)].filter((id) => !totals.has(id));
    if (rest.length > 0) for (const [id, uses] of await usesOf(trx, 'postgres', rest)) totals.set(id, uses);
    return { totals, committed: () => undefined };
  }

  async fold(): Promise<void> {}

  scheduledFold(): null {
    return null;
  }

  async settle(): Promise<void> {}
}

/**
 * SQLite: a batch appends its increments to license_use_log instead of updating each license's
 * row (one dirty page per license, written to the WAL at commit and again at checkpoint, was
 * most of a verification's cost: counting in place measured 21 % slower, with 13–25 % more CPU
 * per verification, docs/performance.md).
 * A license's uses are `licenses.uses` plus its rows still in
 * the log. This process follows the log in memory: rows it appended, and rows other processes
 * appended (read by `seq` at the start of each batch); rows older than the log's first are gone,
 * folded into licenses.uses (a fold empties the log), so they leave the sums.
 * Batches run in IMMEDIATE transactions, one at a time across processes, so `seq` order is
 * commit order and nothing is missed. The stored `licenses.uses` of the licenses it verifies are
 * kept too, until `uses_epoch` says some licenses.uses changed (a fold, a decrement, a reset).
 * A fold runs in the background `foldDelayMs` after a batch counted uses
 * (TESSERA_LICENSE_USE_FOLD_DELAY_MS), and every read of uses elsewhere folds first (settleUses).
 */
export class LoggedUses implements UseTally {
  private readonly followed: LogRow[] = [];
  private head = 0;
  private lastSeq = 0;
  /** Per license: the sum of its followed rows still in the log. */
  private readonly pending = new Map<string, number>();
  /** Per license: licenses.uses as read under `usesEpoch`. */
  private readonly stored = new Map<string, number>();
  private usesEpoch: number | null = null;
  private foldTimer: NodeJS.Timeout | undefined;
  private foldPending: Promise<void> | null = null;
  private foldSettled: () => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly foldDelayMs: number,
  ) {}

  async count(trx: Executor, increments: Map<string, number>, read: Iterable<string>, usesEpoch: number) {
    await this.catchUp(trx);
    const ids = [...new Set([...increments.keys(), ...read])];
    const stored = await this.storedUses(trx, ids, usesEpoch);
    const appended = increments.size > 0 ? [await appendUses(trx, Object.fromEntries(increments))] : [];
    const totals = new Map(ids.map((id) => [id, (stored.get(id) ?? 0) + (this.pending.get(id) ?? 0) + (increments.get(id) ?? 0)]));
    // Followed only once committed: a batch that rolls back appended nothing.
    return {
      totals,
      committed: () => {
        this.follow(appended);
        if (appended.length > 0) this.foldLater();
      },
    };
  }

  /**
   * Folds the log into licenses.uses in a transaction of its own, from the sums followed in
   * memory (after catching up they cover every row in the log): no GROUP BY over the log. The
   * next batch sees the log empty and drops what it followed.
   */
  async fold(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.catchUp(trx);
      if (this.head < this.followed.length) await foldLog(trx, this.pending);
    });
  }

  scheduledFold(): Promise<void> | null {
    return this.foldPending;
  }

  async settle(): Promise<void> {
    if (this.foldTimer) {
      // Not started yet: folded below instead.
      clearTimeout(this.foldTimer);
      this.foldTimer = undefined;
      this.foldPending = null;
      this.foldSettled();
    }
    await this.foldPending;
    await settleUses(this.db);
  }

  /** A fold `foldDelayMs` from now, unless one is already scheduled. A failure is a warning: the uses stay logged. */
  private foldLater(): void {
    if (this.foldTimer) return;
    let settled!: () => void;
    const pending = new Promise<void>((done) => (settled = done));
    this.foldPending = pending;
    this.foldSettled = settled;
    this.foldTimer = setTimeout(() => {
      this.foldTimer = undefined; // uses counted from now on schedule the next fold
      this.fold()
        .catch((err: Error) => process.emitWarning(`Folding counted license uses failed: ${err.message}`))
        .finally(() => {
          if (this.foldPending === pending) this.foldPending = null;
          settled();
        });
    }, this.foldDelayMs);
    this.foldTimer.unref();
  }

  private async storedUses(trx: Executor, ids: string[], epoch: number): Promise<Map<string, number>> {
    if (epoch !== this.usesEpoch || this.stored.size > MAX_STORED) {
      this.stored.clear();
      this.usesEpoch = epoch;
    }
    const unknown = ids.filter((id) => !this.stored.has(id));
    if (unknown.length > 0) for (const [id, uses] of await usesOf(trx, 'sqlite', unknown)) this.stored.set(id, uses);
    return this.stored;
  }

  private async catchUp(trx: Executor): Promise<void> {
    const first = await firstSeq(trx);
    while (this.head < this.followed.length && (first === null || this.followed[this.head]!.seq < first)) {
      for (const [id, n] of Object.entries(this.followed[this.head++]!.counts)) this.add(id, -n);
    }
    if (this.head > 1024 && this.head * 2 > this.followed.length) {
      this.followed.splice(0, this.head);
      this.head = 0;
    }
    this.follow(await rowsAfter(trx, this.lastSeq));
  }

  /** Idempotent: a fold may catch up on a batch's rows before the batch itself follows them. */
  private follow(rows: LogRow[]): void {
    for (const row of rows) {
      if (row.seq <= this.lastSeq) continue;
      this.followed.push(row);
      for (const [id, n] of Object.entries(row.counts)) this.add(id, n);
      this.lastSeq = row.seq;
    }
  }

  private add(licenseId: string, n: number): void {
    const sum = (this.pending.get(licenseId) ?? 0) + n;
    if (sum === 0) this.pending.delete(licenseId);
    else this.pending.set(licenseId, sum);
  }
}

/**
 * Adds a batch's verifications of found licenses to their day (license_verification_days,
 * succeeded / refused per license and UTC day, utcDay), in the batch's transaction: no timer, nothing
 * kept in memory, and a count is exactly as durable as the use it goes with.
 */
export async function tallyVerifications(trx: Executor, dialect: Dialect, judged: Iterable<{ licenseId: string; refused: boolean }>, now: number): Promise<void> {
  const day = utcDay(now);
  const counts = new Map<string, VerificationCount>();
  for (const { licenseId, refused } of judged) {
    let count = counts.get(licenseId);
    if (!count) counts.set(licenseId, (count = { licenseId, day, succeeded: 0, refused: 0 }));
    if (refused) count.refused++;
    else count.succeeded++;
  }
  if (counts.size === 0) return;
  // One order for every batch: the day rows are locked like the licenses' rows are.
  const sorted = [...counts.values()].sort((a, b) => (a.licenseId < b.licenseId ? -1 : a.licenseId > b.licenseId ? 1 : 0));
  await addVerificationCounts(trx, dialect, sorted);
}
