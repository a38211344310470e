import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Db, Executor } from '../db/database.js';
import { precompiled, slot } from '../db/precompiled.js';

/** Where a counter lives: limiter, hashed key, fixed window. */
export interface CounterRef {
  limiter: string;
  key: string;
  windowStart: number;
  expiresAt: number;
}

const row = (ref: CounterRef) => ({ limiter: ref.limiter, key: ref.key, window_start: ref.windowStart, expires_at: ref.expiresAt, hits: 1 });
const target = ['limiter', 'key', 'window_start'] as const;

/** The counter's hits (0 without a row). A read: what the happy path costs. */
export async function hitsOf(db: Db, ref: CounterRef): Promise<number> {
  const found = await db
    .selectFrom('rate_limit_counters')
    .select('hits')
    .where('limiter', '=', ref.limiter)
    .where('key', '=', ref.key)
    .where('window_start', '=', ref.windowStart)
    .executeTakeFirst();
  return found ? Number(found.hits) : 0;
}

/** Counts `n` events (1 by default), whatever the count; returns the count after them (one atomic upsert). */
export async function addHit(db: Db, ref: CounterRef, n = 1): Promise<number> {
  const added = await db
    .insertInto('rate_limit_counters')
    .values({ ...row(ref), hits: n })
    .onConflict((oc) => oc.columns(target).doUpdateSet({ hits: sql`rate_limit_counters.hits + ${n}` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(added.hits);
}

const counterParams = (ref: CounterRef) => ({ limiter: ref.limiter, key: ref.key, windowStart: ref.windowStart, expiresAt: ref.expiresAt });

const hitBelow = precompiled<{ hits: number }, ReturnType<typeof counterParams> & { limit: number }>((db) =>
  db
    .insertInto('rate_limit_counters')
    .values({ limiter: slot('limiter'), key: slot('key'), window_start: slot<number>('windowStart'), expires_at: slot<number>('expiresAt'), hits: 1 })
    .onConflict((oc) => oc.columns(target).doUpdateSet({ hits: sql`rate_limit_counters.hits + 1` }).where('rate_limit_counters.hits', '<', slot<number>('limit')))
    .returning('hits')
    .compile(),
);

/**
 * Counts one event only while the count is under `limit`, in one atomic statement (the update's
 * WHERE is evaluated under the row lock on PostgreSQL, in the one writer on SQLite): of any number
 * of concurrent callers on any number of nodes, at most `limit` get true in a window. Compiled
 * once: the token endpoint runs it on every request.
 */
export async function addHitBelow(db: Executor, dialect: Dialect, ref: CounterRef, limit: number): Promise<boolean> {
  if (limit <= 0) return false;
  const rows = await hitBelow(db, dialect, { ...counterParams(ref), limit });
  return rows.length > 0;
}

const hitRemoved = precompiled<never, ReturnType<typeof counterParams>>((db) =>
  db
    .updateTable('rate_limit_counters')
    .set({ hits: sql`hits - 1` })
    .where('limiter', '=', slot('limiter'))
    .where('key', '=', slot('key'))
    .where('window_start', '=', slot<number>('windowStart'))
    .where('hits', '>', 0)
    .compile(),
);

/** Takes one event back (never below 0). */
export async function removeHit(db: Executor, dialect: Dialect, ref: CounterRef): Promise<void> {
  await hitRemoved(db, dialect, counterParams(ref));
}

/** Forgets a key's count in its window (a successful login clears its email's failures). */
export async function clearHits(db: Db, ref: CounterRef): Promise<void> {
  await db.deleteFrom('rate_limit_counters').where('limiter', '=', ref.limiter).where('key', '=', ref.key).where('window_start', '=', ref.windowStart).execute();
}

/** Keys of a limiter at or over `limit` in windows still running, with their window's end (at most `max`). */
export async function keysAtLimit(db: Db, limiter: string, limit: number, now: number, max: number): Promise<{ key: string; expiresAt: number }[]> {
  const rows = await db
    .selectFrom('rate_limit_counters')
    .select(['key', 'expires_at'])
    .where('limiter', '=', limiter)
    .where('expires_at', '>', now)
    .where('hits', '>=', limit)
    .limit(max)
    .execute();
  return rows.map((r) => ({ key: r.key, expiresAt: Number(r.expires_at) }));
}

/** Deletes every counter whose window has ended (safe on every node at once). */
export async function pruneCounters(db: Db, now: number): Promise<void> {
  await db.deleteFrom('rate_limit_counters').where('expires_at', '<=', now).execute();
}
