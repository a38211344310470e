import type { Db } from '../db/database.js';
import { setLastUsed, type UsageTable as Table } from './usage-store.js';

/**
 * Collects "last used" times of credentials in memory and writes them in one batch per interval,
 * so authenticating a request costs a read, never a write. A lost batch loses only timestamps.
 * Other domains register their tables by widening `UsageTable` (src/credentials/usage-store.ts).
 */
export class UsageRecorder {
  private pending = new Map<Table, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db, private readonly intervalMs = 1000) {}

  touch(table: Table, id: string, at = Date.now()): void {
    let ids = this.pending.get(table);
    if (!ids) this.pending.set(table, (ids = new Map()));
    ids.set(id, at);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.pending;
    this.pending = new Map();
    for (const [table, ids] of batches) {
      for (const [id, at] of ids) {
        await setLastUsed(this.db, table, id, at);
      }
    }
  }
}
