import type { Db, Executor } from '../db/database.js';
import { appendUses, firstSeq, foldLog, rowsAfter, type LogRow } from './use-log-store.js';
import { incrementUses, usesOf } from './verify-store.js';

/** Stored uses kept in memory at most (LoggedUses), before they are read afresh. */
const MAX_STORED = 100_000;

/** How a verify batch counts uses, inside its transaction. */
export interface UseCounter {
  /**
   * Adds `increments` (license id → uses to add) and returns the uses of those licenses and of
   * `read` after them, plus what to do once the transaction has committed. `usesEpoch` is
   * license_view_epoch.uses_epoch as the batch read it.
   */
  count(trx: Executor, increments: Map<string, number>, read: Iterable<string>, usesEpoch: number): Promise<{ totals: Map<string, number>; committed(): void }>;
}

/** PostgreSQL: `uses = uses + n` in place, under the row locks the batch already holds. */
export class UpdatedUses implements UseCounter {
  async count(trx: Executor, increments: Map<string, number>, read: Iterable<string>) {
    const totals = increments.size > 0 ? await incrementUses(trx, increments) : new Map<string, number>();
    const rest = [...new Set(read)].filter((id) => !totals.has(id));
    if (rest.length > 0) for (const [id, uses] of await usesOf(trx, 'postgres', rest)) totals.set(id, uses);
    return { totals, committed: () => undefined };
  }
}

/**
 * SQLite: a batch appends its increments to license_use_log instead of updating each license's
 * row (one dirty page per license, written to the WAL at commit and again at checkpoint, was
 * most of a verification's cost). A license's uses are `licenses.uses` plus its rows still in
 * the log. This process follows the log in memory: rows it appended, and rows other processes
 * appended (read by `seq` at the start of each batch); rows older than the log's first are gone,
 * folded into licenses.uses (a fold empties the log), so they leave the sums.
 * Batches run in IMMEDIATE transactions, one at a time across processes, so `seq` order is
 * commit order and nothing is missed. The stored `licenses.uses` of the licenses it verifies are
 * kept too, until `uses_epoch` says some licenses.uses changed (a fold, a decrement, a reset).
 */
export class LoggedUses implements UseCounter {
  private readonly followed: LogRow[] = [];
  private head = 0;
  private lastSeq = 0;
  /** Per license: the sum of its followed rows still in the log. */
  private readonly pending = new Map<string, number>();
  /** Per license: licenses.uses as read under `usesEpoch`. */
  private readonly stored = new Map<string, number>();
  private usesEpoch: number | null = null;

  async count(trx: Executor, increments: Map<string, number>, read: Iterable<string>, usesEpoch: number) {
    await this.catchUp(trx);
    const ids = [...new Set([...increments.keys(), ...read])];
    const stored = await this.storedUses(trx, ids, usesEpoch);
    const appended = increments.size > 0 ? [await appendUses(trx, Object.fromEntries(increments))] : [];
    const totals = new Map(ids.map((id) => [id, (stored.get(id) ?? 0) + (this.pending.get(id) ?? 0) + (increments.get(id) ?? 0)]));
    // Followed only once committed: a batch that rolls back appended nothing.
    return { totals, committed: () => this.follow(appended) };
  }

  /**
   * Folds the log into licenses.uses in a transaction of its own, from the sums followed in
   * memory (after catching up they cover every row in the log): no GROUP BY over the log. The
   * next batch sees the log empty and drops what it followed.
   */
  async fold(db: Db): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await this.catchUp(trx);
      if (this.head < this.followed.length) await foldLog(trx, this.pending);
    });
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
