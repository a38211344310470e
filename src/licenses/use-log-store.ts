import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { precompiled, slot } from './precompiled.js';

// license_use_log (migration 0008): uses counted by verify batches on SQLite, not yet folded into
// licenses.uses (see LoggedUses). Rows are only ever appended, and folded away oldest first.

export interface LogRow {
  seq: number;
  license_id: string;
  n: number;
}

const first = precompiled<{ first: number | null }, Record<string, never>>((db) =>
  db.selectFrom('license_use_log').select((eb) => eb.fn.min('seq').as('first')).compile(),
);
const after = precompiled<LogRow, { seq: number }>((db) =>
  db.selectFrom('license_use_log').select(['seq', 'license_id', 'n']).where('seq', '>', slot<number>('seq')).orderBy('seq').compile(),
);
const append = precompiled<LogRow, { counts: string }>((db) =>
  sql<LogRow>`insert into license_use_log (license_id, n) select key, value from json_each(${slot('counts')}) returning seq, license_id, n`.compile(db),
);

const usesEpoch = precompiled<{ uses_epoch: number }, Record<string, never>>((db) =>
  db.selectFrom('license_view_epoch').select('uses_epoch').where('id', '=', 1).compile(),
);

/** Moves whenever licenses.uses changes, in any row (a trigger bumps it; SQLite only). */
export async function storedUsesEpoch(trx: Executor): Promise<number> {
  return Number((await usesEpoch(trx, 'sqlite', {}))[0]!.uses_epoch);
}

/** The oldest row still in the log (null when it is empty): every older one has been folded. */
export async function firstSeq(trx: Executor): Promise<number | null> {
  return (await first(trx, 'sqlite', {}))[0]?.first ?? null;
}

/** Rows appended after `seq`, oldest first. */
export function rowsAfter(trx: Executor, seq: number): Promise<LogRow[]> {
  return after(trx, 'sqlite', { seq });
}

/** Appends one row per license of a batch; returns them, oldest first. */
export async function appendUses(trx: Executor, increments: Map<string, number>): Promise<LogRow[]> {
  const rows = await append(trx, 'sqlite', { counts: JSON.stringify(Object.fromEntries(increments)) });
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Adds the log's uses to licenses.uses, summed by the database. */
const addLogged = precompiled<never, Record<string, never>>((db) =>
  sql<never>`update licenses set uses = licenses.uses + t.total
             from (select license_id, sum(n) as total from license_use_log group by license_id) as t
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
