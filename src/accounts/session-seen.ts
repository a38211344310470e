import type { Db } from '../db/database.js';
import { touchSession } from './store.js';

/** A session's "last seen" is rewritten at most this often. */
export const SEEN_GRANULARITY_MS = 60_000;
/** Sessions waiting for their write before a flush is forced (the map stays small). */
const MAX_PENDING = 10_000;

interface Seen {
  at: number;
  ip: string | null;
}

/**
 * "Last seen" of dashboard sessions, written off the request: a lookup that finds the stored
 * time older than a minute notes the session here, and one batch writes every noted session a
 * second later. So a session costs at most one write a minute, whatever its traffic, and the
 * request never waits for it. Only sessions that were found (real rows) are noted, so client
 * input cannot grow the map. A lost batch loses only timestamps.
 */
export class SessionSeen {
  private pending = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly intervalMs = 1000) {}

  /** Notes a request of the session if its stored "last seen" is a minute old or more. */
  note(sessionId: string, storedAt: number, now: number, ip: string | null): void {
    if (now - storedAt < SEEN_GRANULARITY_MS) return;
    this.pending.set(sessionId, { at: now, ip });
    if (this.pending.size >= MAX_PENDING) {
      void this.flush().catch(() => undefined);
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes every noted session now (tests call it; the server calls it on close). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    const run = this.flushing.then(async () => {
      for (const [id, seen] of batch) {
        await touchSession(this.db, id, seen.at, seen.ip);
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }
}
