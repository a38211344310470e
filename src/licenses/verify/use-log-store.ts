import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled, slot } from '../../db/precompiled.js';

// license_use_log (migration 0008): uses counted by verify batches on SQLite, not yet folded into
// licenses.uses (see LoggedUses, tally.ts). One row per batch; rows are only ever appended, and a fold
// empties the table.

/** One batch's uses: license id → uses it counted. */
export type BatchCounts = Record<string, number>;

export interface LogRow {
  seq: number;
  counts: BatchCounts;
}

const first = precompiled<{ first: number | null }, Record<string, never>>((db) =>
  db.selectFrom('license_use_log').select((eb) => eb.fn.min('seq').as('first')).compile(),
);
const after = precompiled<{ seq: number; counts: string }, { seq: number }>((db) =>
  db.selectFrom('license_use_log').select(['seq', 'counts']).where('seq', '>', slot<number>('seq')).orderBy('seq').compile(),
);
const append = precompiled<{ seq: number }, { counts: string }>((db) =>
  db.insertInto('license_use_log').values({ counts: slot('counts') }).returning('seq').compile(),
);

/** The oldest row still in the log (null when it is empty): every older one has been folded. */
export async function firstSeq(trx: Executor): Promise<number | null> {
  return (await first(trx, 'sqlite', {}))[0]?.first ?? null;
}

/** Rows appended after `seq`, oldest first. */
export async function rowsAfter(trx: Executor, seq: number): Promise<LogRow[]> {
  return (await after(trx, 'sqlite', { seq })).map((row) => ({ seq: row.seq, counts: JSON.parse(row.counts) as BatchCounts }));
}

/** Appends a batch's uses as one row. */
export async function appendUses(trx: Executor, counts: BatchCounts): Promise<LogRow> {
  const [row] = await append(trx, 'sqlite', { counts: JSON.stringify(counts) });
  return { seq: row!.seq, counts };
}

/** Adds the log's uses to licenses.uses, summed by the database. */
const addLogged = precompiled<never, Record<string, never>>((db) =>
  sql<never>`update licenses set uses = licenses.uses + t.total
             from (select c.key as license_id, sum(c.value) as total from license_use_log, json_each(license_use_log.counts) as c group by c.key) as t
             where licenses.id = t.license_id`.compile(db),
);
/** Adds known sums (a JSON object: license id → uses) to licenses.uses. */
const addSums = precompiled<never, { sums: string }>((db) =>
  sql<never>`update licenses set uses = licenses.uses + t.value from json_each(${slot('sums')}) as t where licenses.id = t.key`.compile(db),
);
/** No WHERE: SQLite empties the table in one step (its truncate optimization). */
const emptyLog = precompiled<never, Record<string, never>>((db) => sql<never>`delete from license_use_log`.compile(db));

/**
 * Moves every logged use into licenses.uses and empties the log, in the caller's transaction
 * (IMMEDIATE on SQLite, so nothing is appended meanwhile). `sums` (license id → uses) are the
 * log's totals when the caller already knows them (LoggedUses); otherwise the log is summed.
 */
export async function foldLog(trx: Executor, sums?: Map<string, number>): Promise<void> {
  if (sums) await addSums(trx, 'sqlite', { sums: JSON.stringify(Object.fromEntries(sums)) });
  else await addLogged(trx, 'sqlite', {});
  await emptyLog(trx, 'sqlite', {});
}

/**
 * Folds every logged use into licenses.uses, so a read of `uses` is exact. The store calls it
 * before it reads or changes uses. Inside a transaction it folds there; otherwise in a
 * transaction of its own (the update and the emptying must commit together). PostgreSQL counts
 * uses in place: nothing is ever logged there.
 */
export async function settleUses(db: Executor): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  if ((await firstSeq(db)) === null) return;
  if (db.isTransaction) await foldLog(db);
  else await db.transaction().execute((trx) => foldLog(trx));
}
