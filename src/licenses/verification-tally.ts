import type { AppContext } from '../context.js';
import { addVerificationCounts, type VerificationCount } from './verify-store.js';

const DAY_MS = 86_400_000;
let lastDay = { start: 0, text: '' };

/** `YYYY-MM-DD` (UTC) of a time; the last answer is kept (verifications are counted many a second). */
function utcDay(ms: number): string {
  if (ms < lastDay.start || ms >= lastDay.start + DAY_MS) {
    const start = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
    lastDay = { start, text: new Date(start).toISOString().slice(0, 10) };
  }
  return lastDay.text;
}

/**
 * Verifications per license and UTC day, counted in memory and added to
 * license_verification_days once a second (and at shutdown) in one statement: a count is a
 * statistic for support, so it stays off the verify path's commit. A crash loses at most the
 * last second of counts, never a use (uses are committed before each answer).
 */
export class VerificationTally {
  private pending = new Map<string, VerificationCount>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = 1000,
  ) {}

  add(licenseId: string, succeeded: boolean, at = Date.now()): void {
    const day = utcDay(at);
    const key = `${licenseId}|${day}`;
    let count = this.pending.get(key);
    if (!count) this.pending.set(key, (count = { licenseId, day, succeeded: 0, refused: 0 }));
    if (succeeded) count.succeeded++;
    else count.refused++;
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes every pending count (reads of the history call it first, so they see every verification). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const counts = [...this.pending.values()];
    this.pending = new Map();
    const { db, dialect } = this.ctx;
    this.flushing = this.flushing.then(async () => {
      if (counts.length > 0) await addVerificationCounts(db, dialect, counts);
    });
    return this.flushing;
  }
}

const tallies = new WeakMap<AppContext, VerificationTally>();

export function verificationTally(ctx: AppContext): VerificationTally {
  let tally = tallies.get(ctx);
  if (!tally) tallies.set(ctx, (tally = new VerificationTally(ctx)));
  return tally;
}
