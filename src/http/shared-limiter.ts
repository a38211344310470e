import { LruMap } from 'toad-cache';
import type { Dialect } from '../config.js';
import type { Db, Executor } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import type { ServerKeys } from '../credentials/server-keys.js';
import { TesseraError } from './errors.js';
import * as counters from './limit-store.js';

/** What a shared limiter needs from the application context. */
export interface SharedLimiterDeps {
  db: Db;
  dialect: Dialect;
  keys: ServerKeys;
  clock: () => number;
  /** Keys whose refusal this process remembers (an LRU: bounded whatever the clients send). */
  capacity: number;
  /** Asks for the ended windows to be pruned now and then (one pruner for every limiter). */
  pruneSoon(): void;
  /** On SQLite, the context's one group commit for `take` (takeBatch); without it each take commits alone. */
  takes?: TakeBatch;
}

/** An attempt reserved before a slow check (argon2), and how it ended. */
export interface Reservation {
  /** 0 when reserved; else the seconds to wait, and nothing was reserved. */
  wait: number;
  /** It failed: counted in the database, for every process and node. */
  fail(): Promise<void>;
  /** It does not count (a success, or a failure of ours). */
  release(): void;
  /** A success that also forgets the key's failures in the window (written only when there were some). */
  clear(): Promise<void>;
}

/** How often a process looks for keys other nodes took over the limit (verify's fast path). */
const SYNC_MS = 1000;

const refused = (wait: number): Reservation => ({ wait, fail: async () => undefined, release: () => undefined, clear: async () => undefined });

/**
 * A fixed-window rate limit counted in the database (table rate_limit_counters, migration 0021),
 * so that the configured limit holds across every process and node on it (issue 16.2). Windows
 * are aligned to multiples of their length, so every node agrees on them without talking. Keys
 * are stored as HMACs. Three ways to count, each writing only what counts:
 *
 * - `reserve` (logins, API-key reveals): an attempt is reserved in this process before the slow
 *   check, synchronously, and the stored failures are read; it goes ahead while stored failures
 *   plus this process's reservations stay within the limit. Only a failure writes (`fail`), so a
 *   right password costs one read. A parallel burst against one process gets at most the limit
 *   through; failures are exact across nodes (the N+1-th failure anywhere is refused).
 * - `blockedFor` + `countFailure` (license verification, the hot path): nothing is read before
 *   the verification; a failure is counted with an atomic upsert that returns the count (one for
 *   all the failures of a key in one turn of the event loop), and the
 *   failure that goes over the limit is answered 429 instead, on whichever node. Keys at the limit
 *   are remembered in memory (from this process's own counts, and from a look at the table at
 *   most once a second while verifications come in), so a refused address costs nothing more.
 * - `take` (token requests, deep pages): every request is counted by an atomic conditional upsert
 *   (`hits < limit`), so of any burst on any number of nodes at most the limit is let through.
 *
 * In memory there is only what cannot make another node wrong: reservations of requests in flight
 * here, and refusals (a count at the limit stays there until its window ends).
 */
export class SharedLimiter {
  /** Attempts reserved and not finished, by hashed key: bounded by the requests in flight. */
  private readonly pending = new Map<string, number>();
  /** Hashed keys known to be at the limit, until their window ends. */
  private readonly blocked: LruMap<number>;
  private lastSync = 0;
  private syncing: Promise<void> | undefined;
  /** Failures waiting for this turn's upsert, by hashed key and window: bounded by the requests in flight. */
  private readonly failures = new Map<string, { ref: counters.CounterRef; waiting: { resolve(wait: number): void; reject(err: unknown): void; now: number }[] }>();

  constructor(
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
    readonly deps: SharedLimiterDeps,
  ) {
    this.blocked = new LruMap<number>(Math.max(1, deps.capacity));
    this.hashes = new LruMap<string>(Math.max(1, deps.capacity));
  }

  /** Keys' HMACs, by key: an LRU (bounded whatever the clients send) that spares the token endpoint two HMACs a request. */
  private readonly hashes: LruMap<string>;

  private hashed(key: string): string {
    let hashed = this.hashes.get(key);
    if (hashed === undefined) this.hashes.set(key, (hashed = this.deps.keys.hash(`rate-limit:${this.name}:${key}`)));
    return hashed;
  }

  private ref(hashed: string, now: number): counters.CounterRef {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    return { limiter: this.name, key: hashed, windowStart, expiresAt: windowStart + this.windowMs };
  }

  private waitFor(ref: counters.CounterRef, now: number): number {
    return Math.max(1, Math.ceil((ref.expiresAt - now) / 1000));
  }

  /** Seconds this process knows the hashed key must wait (0 when it knows of no refusal). */
  private known(hashed: string, now: number): number {
    const until = this.blocked.get(hashed);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blocked.delete(hashed);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  private remember(ref: counters.CounterRef): void {
    this.blocked.set(ref.key, ref.expiresAt);
  }

  private pend(hashed: string, delta: number): number {
    const n = (this.pending.get(hashed) ?? 0) + delta;
    if (n <= 0) this.pending.delete(hashed);
    else this.pending.set(hashed, n);
    return n;
  }

  /** Reserves an attempt before a slow check; see the class comment. */
  async reserve(key: string): Promise<Reservation> {
    const now = this.deps.clock();
    const hashed = this.hashed(key);
    const ref = this.ref(hashed, now);
    // Reserved here, before any await: parallel attempts in this process see each other.
    if ((this.pending.get(hashed) ?? 0) >= this.limit) return refused(this.waitFor(ref, now));
    const inFlight = this.pend(hashed, 1);
    let stored: number;
    try {
      stored = await counters.hitsOf(this.deps.db, ref);
    } catch (err) {
      this.pend(hashed, -1);
      throw err;
    }
    if (stored + Math.max(inFlight, this.pending.get(hashed) ?? 0) > this.limit) {
      this.pend(hashed, -1);
      return refused(this.waitFor(ref, now));
    }
    let open = true;
    const finish = () => {
      if (!open) return false;
      open = false;
      this.pend(hashed, -1);
      return true;
    };
    return {
      wait: 0,
      fail: async () => {
        if (!open) return;
        open = false;
        // The reservation is given back only once the failure is stored: in between, an attempt
        // that reads the count before this write commits still sees this one as in flight.
        try {
          await counters.addHit(this.deps.db, ref);
        } finally {
          this.pend(hashed, -1);
        }
        this.deps.pruneSoon();
      },
      release: () => void finish(),
      clear: async () => {
        if (finish() && stored > 0) await counters.clearHits(this.deps.db, ref);
      },
    };
  }

  /**
   * Seconds the key must wait as far as this process knows (0 if it knows of no refusal), without
   * a query. While called, it looks at the table at most once a second, in the background, for
   * keys that other nodes took to the limit.
   */
  blockedFor(key: string): number {
    const now = this.deps.clock();
    if (now - this.lastSync >= SYNC_MS && !this.syncing) {
      this.lastSync = now;
      this.syncing = this.sync(now).finally(() => (this.syncing = undefined));
    }
    return this.known(this.hashed(key), now);
  }

  private async sync(now: number): Promise<void> {
    try {
      for (const { key, expiresAt } of await counters.keysAtLimit(this.deps.db, this.name, this.limit, now, this.deps.capacity)) this.blocked.set(key, expiresAt);
    } catch {
      // The database is away (or closing): the next look tries again; failures still count exactly.
    }
  }

  /**
   * Counts one failure; returns the seconds to wait when this failure went over the limit (else
   * 0). Failures of one key arriving in the same turn of the event loop (a flood from one address)
   * are counted by one upsert of all of them, each told its own place in the count.
   */
  countFailure(key: string): Promise<number> {
    const now = this.deps.clock();
    const ref = this.ref(this.hashed(key), now);
    const id = `${ref.key}@${ref.windowStart}`;
    return new Promise((resolve, reject) => {
      let batch = this.failures.get(id);
      if (!batch) {
        batch = { ref, waiting: [] };
        this.failures.set(id, batch);
        setImmediate(() => void this.countBatch(id));
      }
      batch.waiting.push({ resolve, reject, now });
    });
  }

  private async countBatch(id: string): Promise<void> {
    const batch = this.failures.get(id)!;
    this.failures.delete(id);
    const n = batch.waiting.length;
    let hits: number;
    try {
      hits = await counters.addHit(this.deps.db, batch.ref, n);
    } catch (err) {
      for (const w of batch.waiting) w.reject(err);
      return;
    }
    this.deps.pruneSoon();
    if (hits >= this.limit) this.remember(batch.ref);
    batch.waiting.forEach((w, i) => w.resolve(hits - n + i + 1 > this.limit ? this.waitFor(batch.ref, w.now) : 0));
  }

  /** Counts one request if the key is under the limit: 0 (counted, go ahead), else the seconds to wait. */
  take(key: string): Promise<number> {
    return takeAll([[this, key]]);
  }

  /** Where `takeAll` counts this key now, or the seconds this process knows it must wait. */
  slotFor(key: string): TakeSlot | number {
    const now = this.deps.clock();
    const hashed = this.hashed(key);
    const known = this.known(hashed, now);
    return known > 0 ? known : { limiter: this, ref: this.ref(hashed, now), now };
  }

  /** A take refused: remembered until the window ends (only what cannot make another node wrong). */
  refusedAt(slot: TakeSlot): number {
    this.remember(slot.ref);
    return this.waitFor(slot.ref, slot.now);
  }

  /**
   * Gives back a request `take` counted (it was refused by another limit). Another node that saw
   * the key at the limit may go on refusing it until the window ends: the safe side.
   */
  async giveBack(key: string): Promise<void> {
    const hashed = this.hashed(key);
    this.blocked.delete(hashed);
    await counters.removeHit(this.deps.db, this.deps.dialect, this.ref(hashed, this.deps.clock()));
  }

  /** Forgets the key's count in the current window, on every node (a password was reset). */
  async reset(key: string): Promise<void> {
    const hashed = this.hashed(key);
    this.blocked.delete(hashed);
    await counters.clearHits(this.deps.db, this.ref(hashed, this.deps.clock()));
  }
}

/** One key of one limiter, counted by `takeAll` in its window. */
export interface TakeSlot {
  limiter: SharedLimiter;
  ref: counters.CounterRef;
  now: number;
}

/** The takes of one request: every slot counted, or none (the index of the first refused). */
type TakeJob = TakeSlot[];

/** Counts a job's slots in order, atomically each; on a refusal gives back those already counted. */
async function countSlots(db: Executor, dialect: Dialect, slots: TakeJob): Promise<number> {
  for (let i = 0; i < slots.length; i++) {
    const { limiter, ref } = slots[i]!;
    if (await counters.addHitBelow(db, dialect, ref, limiter.limit)) continue;
    for (const taken of slots.slice(0, i)) await counters.removeHit(db, dialect, taken.ref);
    return i;
  }
  return -1;
}

/**
 * The context's takes on SQLite, as a group commit (src/db/group-commit.ts): every take waiting
 * when a batch starts is counted in ONE transaction, each with its own atomic conditional upsert
 * in arrival order (so of any burst at most the limit goes through, as alone), and each request
 * goes on only after that commit. SQLite has one writer, so separate takes could only queue for
 * it and pay a commit each (two per token request). On PostgreSQL each take runs on its own
 * pooled connection instead (no batch to wait for, no lock held across requests).
 */
export type TakeBatch = GroupCommit<TakeJob, number>;

export function takeBatch(db: Db, dialect: Dialect): TakeBatch {
  return new GroupCommit<TakeJob, number>(
    db,
    async (trx, jobs) => {
      const results: number[] = [];
      for (const job of jobs) results.push(await countSlots(trx, dialect, job));
      return { results };
    },
    () => TesseraError.rateLimited(1, 'Too many requests are waiting. Try again in a second.'),
  );
}

/**
 * Counts one request against several limits at once (an address and a client, an account and an
 * address): 0 when every key was under its limit and is now counted; else the seconds to wait,
 * and nothing stays counted (the keys counted before the refusing one are given back in the same
 * transaction). A key this process knows to be at its limit is refused without a query.
 */
export async function takeAll(entries: readonly (readonly [SharedLimiter, string])[]): Promise<number> {
  const slots: TakeJob = [];
  for (const [limiter, key] of entries) {
    const slot = limiter.slotFor(key);
    if (typeof slot === 'number') return slot;
    slots.push(slot);
  }
  if (slots.length === 0) return 0;
  const { deps } = slots[0]!.limiter;
  const refused = deps.takes ? await deps.takes.submit(slots) : await countSlots(deps.db, deps.dialect, slots);
  if (refused >= 0) return slots[refused]!.limiter.refusedAt(slots[refused]!);
  deps.pruneSoon();
  return 0;
}

/** How often ended windows are pruned (by whichever node counts something). */
const PRUNE_MS = 60_000;

/** One pruner for the limiters of a context: at most one DELETE a minute, off the request. */
export function pruner(db: Db, clock: () => number): () => void {
  let last = clock();
  let running = false;
  return () => {
    const now = clock();
    if (running || now - last < PRUNE_MS) return;
    last = now;
    running = true;
    counters
      .pruneCounters(db, now)
      .catch(() => undefined)
      .finally(() => (running = false));
  };
}
