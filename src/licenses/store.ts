import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor } from '../db/database.js';
import { precompiled, slot } from './precompiled.js';
import type { PurchaseRow } from '../sales/tables.js';
import type { LicenseRow, LicenseTable } from './tables.js';

export function insertLicense(db: Executor, row: LicenseTable) {
  return db.insertInto('licenses').values(row).execute();
}

export function insertLicenses(db: Executor, rows: LicenseTable[]) {
  return db.insertInto('licenses').values(rows).execute();
}

// --- reads and one insert into catalog's and sales' tables (CSV import)

/** A live product by external id or unique permalink, any seller (the CLI acts for the operator). */
export function findProductForImport(db: Executor, ref: string) {
  return db
    .selectFrom('products')
    .select(['id', 'external_id', 'seller_id', 'name', 'currency', 'is_licensed'])
    .where((eb) => eb.or([eb('external_id', '=', ref), eb('unique_permalink', '=', ref)]))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function existingOrderNumbers(db: Executor, candidates: number[]): Promise<number[]> {
  const rows = await db.selectFrom('purchases').select('order_number').where('order_number', 'in', candidates).execute();
  return rows.map((r) => r.order_number);
}

/** Imported customers' purchases, many rows per statement (sales' recordPurchase is one transaction per purchase). */
export function insertImportedPurchases(db: Executor, rows: PurchaseRow[]) {
  return db.insertInto('purchases').values(rows).execute();
}

/** A license by its current key's HMAC (mutations: a retired key in its grace period does not count). */
export function findByKeyHash(db: Executor, keyHash: string): Promise<LicenseRow | undefined> {
  return db.selectFrom('licenses').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export function findByExternalId(db: Executor, externalId: string): Promise<LicenseRow | undefined> {
  return db.selectFrom('licenses').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

export function keyHashTaken(db: Executor, keyHashes: string[]) {
  return db
    .selectFrom('licenses')
    .select(['key_hash', 'grace_key_hash'])
    .where((eb) => eb.or([eb('key_hash', 'in', keyHashes), eb('grace_key_hash', 'in', keyHashes)]))
    .execute();
}

export function forPurchases(db: Executor, purchaseIds: string[]) {
  return db
    .selectFrom('licenses')
    .select(['purchase_id', 'external_id', 'key_encrypted', 'disabled_at', 'uses'])
    .where('purchase_id', 'in', purchaseIds)
    .execute();
}

export function setDisabledAt(db: Executor, id: string, disabledAt: number | null) {
  return db.updateTable('licenses').set({ disabled_at: disabledAt }).where('id', '=', id).execute();
}

/** One use less, never below zero (the guard is in the statement, so concurrent calls cannot overshoot). */
export async function decrementUses(db: Executor, id: string): Promise<boolean> {
  const row = await db
    .updateTable('licenses')
    .set((eb) => ({ uses: eb('uses', '-', 1) }))
    .where('id', '=', id)
    .where('uses', '>', 0)
    .returning('uses')
    .executeTakeFirst();
  return row !== undefined;
}

/** Swaps the key, only if `oldKeyHash` is still current (two racing rotations: one wins). */
export async function replaceKey(
  db: Executor,
  id: string,
  oldKeyHash: string,
  change: Pick<LicenseTable, 'key_hash' | 'key_encrypted' | 'grace_key_hash' | 'grace_ends_at' | 'rotated_at'>,
): Promise<boolean> {
  const result = await db.updateTable('licenses').set(change).where('id', '=', id).where('key_hash', '=', oldKeyHash).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function verificationDays(db: Executor, licenseId: string, limit: number) {
  return db
    .selectFrom('license_verification_days')
    .select(['day', 'succeeded', 'refused'])
    .where('license_id', '=', licenseId)
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();
}

// --- the verify hot path: precompiled, batched

/** Everything a verify answer (and the seller's mutations) present: license, purchase, product, seller. */
function licenseView(db: Executor) {
  return db
    .selectFrom('licenses')
    .innerJoin('purchases', 'purchases.id', 'licenses.purchase_id')
    .innerJoin('products', 'products.id', 'licenses.product_id')
    .innerJoin('users', 'users.id', 'licenses.seller_id')
    .leftJoin('offer_codes', 'offer_codes.id', 'purchases.offer_code_id')
    .leftJoin('subscriptions', 'subscriptions.id', 'purchases.subscription_id')
    .select([
      'licenses.id',
      'licenses.external_id as license_id',
      'licenses.seller_id',
      'licenses.key_hash',
      'licenses.grace_key_hash',
      'licenses.grace_ends_at',
      'licenses.uses',
      'licenses.disabled_at',
      'purchases.external_id as sale_id',
      'purchases.email',
      'purchases.full_name',
      'purchases.price',
      'purchases.quantity',
      'purchases.currency',
      'purchases.variants',
      'purchases.custom_fields',
      'purchases.order_number',
      'purchases.refunded',
      'purchases.chargebacked',
      'purchases.disputed',
      'purchases.access_revoked_at',
      'purchases.subscription_ended_at',
      'purchases.subscription_cancelled_at',
      'purchases.subscription_failed_at',
      'purchases.is_imported',
      'purchases.created_at',
      'subscriptions.external_id as subscription_external_id',
      'products.external_id as product_external_id',
      'products.name as product_name',
      'products.unique_permalink',
      'products.custom_permalink',
      'products.subscription_duration',
      'users.external_id as seller_external_id',
      'offer_codes.name as offer_code_name',
      'offer_codes.amount_cents as offer_code_amount_cents',
      'offer_codes.percent_off as offer_code_percent_off',
      'offer_codes.currency as offer_code_currency',
    ]);
}

export type LicenseView = Awaited<ReturnType<ReturnType<typeof licenseView>['executeTakeFirstOrThrow']>>;

const viewByKey = precompiled<LicenseView, { hash: string }>((db) =>
  licenseView(db).where((eb) => eb.or([eb('licenses.key_hash', '=', slot('hash')), eb('licenses.grace_key_hash', '=', slot('hash'))])),
);

/** PostgreSQL: every license of a batch in one round trip, locked until the batch commits. */
const viewsByKeysLocked = precompiled<LicenseView, { hashes: string[] }>((db) =>
  licenseView(db)
    .where((eb) =>
      eb.or([
        eb('licenses.key_hash', '=', sql<string>`any(${slot('hashes')})`),
        eb('licenses.grace_key_hash', '=', sql<string>`any(${slot('hashes')})`),
      ]),
    )
    .forUpdate('licenses'),
);

/** A license by its current key (the seller's mutations: a retired key does not name it). */
export async function viewByCurrentKey(db: Executor, keyHash: string): Promise<LicenseView | undefined> {
  return licenseView(db).where('licenses.key_hash', '=', keyHash).executeTakeFirst();
}

export async function viewById(db: Executor, id: string): Promise<LicenseView | undefined> {
  return licenseView(db).where('licenses.id', '=', id).executeTakeFirst();
}

/**
 * The licenses that the keys (HMACs) of one verify batch name, current or retired key alike,
 * each under the hash it was found by. On PostgreSQL the rows stay locked until the batch
 * commits, so a rotation or a disable waits for it (or the batch sees their result).
 */
export async function viewsForBatch(trx: Executor, dialect: Dialect, hashes: string[]): Promise<Map<string, LicenseView>> {
  const found = new Map<string, LicenseView>();
  if (dialect === 'postgres') {
    for (const row of await viewsByKeysLocked(trx, dialect, { hashes })) {
      found.set(row.key_hash, row);
      if (row.grace_key_hash !== null) found.set(row.grace_key_hash, row);
    }
    return found;
  }
  for (const hash of hashes) {
    const [row] = await viewByKey(trx, dialect, { hash });
    if (row) found.set(hash, row);
  }
  return found;
}

const addUses = precompiled<{ uses: number }, { id: string; n: number }>((db) =>
  db
    .updateTable('licenses')
    .set((eb) => ({ uses: eb('uses', '+', slot<number>('n')) }))
    .where('id', '=', slot('id'))
    .returning('uses'),
);

/** Adds each license's use count of a batch; returns the new totals. */
export async function incrementUses(trx: Executor, dialect: Dialect, increments: Map<string, number>): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (dialect === 'postgres') {
    const ids = [...increments.keys()].sort();
    const result = await sql<{ id: string; uses: number }>`
      update licenses set uses = licenses.uses + v.n
      from unnest(${ids}::text[], ${ids.map((id) => increments.get(id)!)}::int[]) as v(id, n)
      where licenses.id = v.id
      returning licenses.id, licenses.uses`.execute(trx);
    for (const row of result.rows) totals.set(row.id, row.uses);
    return totals;
  }
  for (const [id, n] of increments) {
    const [row] = await addUses(trx, dialect, { id, n });
    if (row) totals.set(id, row.uses);
  }
  return totals;
}

export interface VerificationCount {
  licenseId: string;
  day: string;
  succeeded: number;
  refused: number;
}

const addCount = precompiled<never, { license_id: string; day: string; succeeded: number; refused: number }>((db) =>
  db
    .insertInto('license_verification_days')
    .values({ license_id: slot('license_id'), day: slot('day'), succeeded: slot<number>('succeeded'), refused: slot<number>('refused') })
    .onConflict((oc) =>
      oc.columns(['license_id', 'day']).doUpdateSet((eb) => ({
        succeeded: eb('license_verification_days.succeeded', '+', eb.ref('excluded.succeeded')),
        refused: eb('license_verification_days.refused', '+', eb.ref('excluded.refused')),
      })),
    ),
);

/** Adds a batch's verification counts to each license's day. */
export async function addVerificationCounts(trx: Executor, dialect: Dialect, counts: VerificationCount[]): Promise<void> {
  if (dialect === 'postgres') {
    await sql`
      insert into license_verification_days (license_id, day, succeeded, refused)
      select * from unnest(${counts.map((c) => c.licenseId)}::text[], ${counts.map((c) => c.day)}::text[],
                           ${counts.map((c) => c.succeeded)}::int[], ${counts.map((c) => c.refused)}::int[])
      on conflict (license_id, day) do update set
        succeeded = license_verification_days.succeeded + excluded.succeeded,
        refused = license_verification_days.refused + excluded.refused`.execute(trx);
    return;
  }
  for (const c of counts) await addCount(trx, dialect, { license_id: c.licenseId, day: c.day, succeeded: c.succeeded, refused: c.refused });
}
