import { sql } from 'kysely';
import type { Dialect } from '../../config.js';
import type { Executor } from '../../db/database.js';
import { precompiled, slot } from '../../db/precompiled.js';
import { licenseView, type LicenseView } from '../store.js';

// The verify batch's statements. Each takes the whole batch at once, as a JSON text (SQLite:
// json_each) or arrays (PostgreSQL: any / unnest), so the SQL text never changes with the batch
// size: compiled once, prepared once. (The SQLite use log's own are in use-log-store.ts; the dashboard's reads of the day counts in days-store.ts.)

/** `column IN` the batch's values. */
const inBatch = (dialect: Dialect, name: string) =>
  dialect === 'postgres' ? sql<string>`any(${slot(name)})` : sql<string>`(select value from json_each(${slot(name)}))`;
const batchParam = (dialect: Dialect, values: unknown) => (dialect === 'postgres' ? values : JSON.stringify(values));

const viewsByKeys = precompiled<LicenseView, { current: unknown; retired: unknown }>((db, dialect) => {
  const query = licenseView(db).where((eb) =>
    eb.or([
      eb('licenses.key_hash', dialect === 'postgres' ? '=' : 'in', inBatch(dialect, 'current')),
      eb('licenses.grace_key_hash', dialect === 'postgres' ? '=' : 'in', inBatch(dialect, 'retired')),
    ]),
  );
  // PostgreSQL: the rows stay locked until the batch commits (SQLite runs one transaction at a time).
  return (dialect === 'postgres' ? query.forUpdate('licenses') : query).compile();
});

/**
 * The licenses that the keys (HMACs) of one verify batch name, current or retired key alike,
 * each under the hash it was found by. A rotation or a disable is thus entirely before or after
 * the batch's lookups and increments.
 */
export async function viewsForBatch(trx: Executor, dialect: Dialect, hashes: string[]): Promise<Map<string, LicenseView>> {
  const param = batchParam(dialect, hashes);
  const found = new Map<string, LicenseView>();
  for (const row of await viewsByKeys(trx, dialect, { current: param, retired: param })) {
    found.set(row.key_hash, row);
    if (row.grace_key_hash !== null) found.set(row.grace_key_hash, row);
  }
  return found;
}

const epochRow = precompiled<{ epoch: number; uses_epoch: number }, Record<string, never>>((db) =>
  db.selectFrom('license_view_epoch').select(['epoch', 'uses_epoch']).where('id', '=', 1).compile(),
);

/**
 * `view`: what cached license views are valid under (LicenseViewCache); `uses`: what stored uses
 * kept in memory are valid under (LoggedUses; SQLite only, PostgreSQL leaves it at 0).
 */
export async function epochs(trx: Executor, dialect: Dialect): Promise<{ view: number; uses: number }> {
  const [row] = await epochRow(trx, dialect, {});
  return { view: Number(row!.epoch), uses: Number(row!.uses_epoch) };
}

const usesByIds = precompiled<{ id: string; uses: number }, { ids: unknown }>((db, dialect) => {
  const query = db.selectFrom('licenses').select(['id', 'uses']).where('id', dialect === 'postgres' ? '=' : 'in', inBatch(dialect, 'ids'));
  // PostgreSQL: locked until the batch commits, like the rows viewsForBatch reads.
  return (dialect === 'postgres' ? query.orderBy('id').forUpdate() : query).compile();
});

/**
 * The uses of some licenses, read in the batch's transaction; on PostgreSQL the rows stay locked
 * until it commits, so a rotation or a disable is entirely before or after the batch.
 */
export async function usesOf(trx: Executor, dialect: Dialect, ids: string[]): Promise<Map<string, number>> {
  const rows = await usesByIds(trx, dialect, { ids: batchParam(dialect, ids) });
  return new Map(rows.map((r) => [r.id, r.uses]));
}

const addUses = precompiled<{ id: string; uses: number }, { ids: string[]; counts: number[] }>((db) =>
  sql<{ id: string; uses: number }>`update licenses set uses = licenses.uses + v.n
      from unnest(${slot('ids')}::text[], ${slot('counts')}::int[]) as v(id, n)
      where licenses.id = v.id returning licenses.id, licenses.uses`.compile(db),
);

/**
 * PostgreSQL: adds each license's uses of a batch in one statement; returns the new totals.
 * (SQLite appends them to license_use_log instead: see LoggedUses.)
 */
export async function incrementUses(trx: Executor, increments: Map<string, number>): Promise<Map<string, number>> {
  const ids = [...increments.keys()].sort(); // one lock order for every batch
  const rows = await addUses(trx, 'postgres', { ids, counts: ids.map((id) => increments.get(id)!) });
  return new Map(rows.map((r) => [r.id, r.uses]));
}

export interface VerificationCount {
  licenseId: string;
  day: string;
  succeeded: number;
  refused: number;
}

const addCounts = precompiled<never, { counts: unknown; licenseIds: unknown; days: unknown; succeeded: unknown; refused: unknown }>((db, dialect) =>
  (dialect === 'postgres'
    ? sql`insert into license_verification_days (license_id, day, succeeded, refused)
          select * from unnest(${slot('licenseIds')}::text[], ${slot('days')}::text[], ${slot('succeeded')}::int[], ${slot('refused')}::int[])
          on conflict (license_id, day) do update set
            succeeded = license_verification_days.succeeded + excluded.succeeded,
            refused = license_verification_days.refused + excluded.refused`
    : sql`insert into license_verification_days (license_id, day, succeeded, refused)
          select json_extract(c.value, '$[0]'), json_extract(c.value, '$[1]'), json_extract(c.value, '$[2]'), json_extract(c.value, '$[3]')
          from json_each(${slot('counts')}) as c where true
          on conflict (license_id, day) do update set
            succeeded = license_verification_days.succeeded + excluded.succeeded,
            refused = license_verification_days.refused + excluded.refused`
  ).compile(db),
);

/** Adds a batch's verification counts to each license's day, in one statement. */
export async function addVerificationCounts(trx: Executor, dialect: Dialect, counts: VerificationCount[]): Promise<void> {
  await addCounts(
    trx,
    dialect,
    dialect === 'postgres'
      ? {
          counts: null,
          licenseIds: counts.map((c) => c.licenseId),
          days: counts.map((c) => c.day),
          succeeded: counts.map((c) => c.succeeded),
          refused: counts.map((c) => c.refused),
        }
      : { counts: JSON.stringify(counts.map((c) => [c.licenseId, c.day, c.succeeded, c.refused])), licenseIds: null, days: null, succeeded: null, refused: null },
  );
}
