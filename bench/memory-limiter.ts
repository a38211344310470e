import { LruMap } from 'toad-cache';

interface Window {
  count: number;
  resetAt: number;
}

/** Windows a limiter keeps by default: a few MB at most, whatever the clients send. */
export const DEFAULT_LIMITER_CAPACITY = 100_000;

/**
 * The limiter Tessera had before its limits were shared through the database (issue 16), kept
 * here only as the bench's baseline (bench/workers.ts: what one failure cost in memory against
 * the shared counter). Fixed-window counters in memory. Bounded: the least recently used windows are forgotten past
 * `capacity` keys, in O(1) (toad-cache's LRU), so spoofed keys cost neither memory nor scans.
 * Per process: several processes each enforce the limit on their share.
 *
 * Attempts that end in a slow check (argon2) must be counted before it: `take` reserves the
 * attempt synchronously, so N parallel requests against a limit of L let at most L through;
 * `release` gives the reservation back when the attempt turns out not to count (a success).
 */
export class RateLimiter {
  private readonly windows: LruMap<Window>;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly capacity = DEFAULT_LIMITER_CAPACITY,
  ) {
    this.windows = new LruMap<Window>(Math.max(1, capacity));
  }

  /** Keys currently held (at most `capacity`). */
  get size(): number {
    return this.windows.size;
  }

  private current(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && w.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  /** Seconds until `key` may try again, or 0 when it is under the limit. Does not count. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.current(key, now);
    return w && w.count >= this.limit ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  /** Counts one event against `key`. */
  hit(key: string, now = Date.now()): void {
    let w = this.current(key, now);
    if (!w) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
  }

  /**
   * Reserves one attempt: 0 when it was counted (go ahead), else the seconds to wait (nothing
   * counted). Check and count happen in one synchronous step, before any await.
   */
  take(key: string, now = Date.now()): number {
    const wait = this.retryAfter(key, now);
    if (wait > 0) return wait;
    this.hit(key, now);
    return 0;
  }

  /** Gives back one reserved attempt (it succeeded, so it does not count). */
  release(key: string, now = Date.now()): void {
    const w = this.current(key, now);
    if (w && w.count > 0) w.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }
}
