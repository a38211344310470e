import type { Executor } from '../db/database.js';
import type { LicenseRow, LicenseTable } from './tables.js';
import { settleUses } from './verify/use-log-store.js';

export function insertLicense(db: Executor, row: LicenseTable) {
  return db.insertInto('licenses').values(row).execute();
}

export function insertLicenses(db: Executor, rows: LicenseTable[]) {
  return db.insertInto('licenses').values(rows).execute();
}

// Every read of `uses` below folds the uses verification logged first (settleUses), so it is exact.

export async function findByExternalId(db: Executor, externalId: string): Promise<LicenseRow | undefined> {
  await settleUses(db);
  return db.selectFrom('licenses').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

/** A seller's licenses among these external ids, in one query (the licenses of a page of sales). */
export async function findSellerLicenses(db: Executor, sellerId: string, externalIds: string[]): Promise<LicenseRow[]> {
  if (externalIds.length === 0) return [];
  await settleUses(db);
  return db.selectFrom('licenses').selectAll().where('seller_id', '=', sellerId).where('external_id', 'in', externalIds).execute();
}

export function keyHashTaken(db: Executor, keyHashes: string[]) {
  return db
    .selectFrom('licenses')
    .select(['key_hash', 'grace_key_hash'])
    .where((eb) => eb.or([eb('key_hash', 'in', keyHashes), eb('grace_key_hash', 'in', keyHashes)]))
    .execute();
}

export async function forPurchases(db: Executor, purchaseIds: string[]) {
  await settleUses(db);
  return db
    .selectFrom('licenses')
    .select(['purchase_id', 'external_id', 'key_encrypted', 'disabled_at', 'uses'])
    .where('purchase_id', 'in', purchaseIds)
    .execute();
}

/** How many license keys a product's sales hold, and how many of them are enabled. */
export async function countForProduct(db: Executor, productId: string): Promise<{ total: number; enabled: number }> {
  const row = await db
    .selectFrom('licenses')
    .select((eb) => [eb.fn.countAll<number | string>().as('total'), eb.fn.count<number | string>('id').filterWhere('disabled_at', 'is', null).as('enabled')])
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), enabled: Number(row.enabled) };
}

export function setDisabledAt(db: Executor, id: string, disabledAt: number | null) {
  return db.updateTable('licenses').set({ disabled_at: disabledAt }).where('id', '=', id).execute();
}

/** One use less, never below zero (the guard is in the statement, so concurrent calls cannot overshoot). */
export async function decrementUses(db: Executor, id: string): Promise<boolean> {
  await settleUses(db);
  const row = await db
    .updateTable('licenses')
    .set((eb) => ({ uses: eb('uses', '-', 1) }))
    .where('id', '=', id)
    .where('uses', '>', 0)
    .returning('uses')
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets uses back to 0; returns how many uses there were (0 when nothing changed). */
export async function resetUses(db: Executor, id: string): Promise<number> {
  await settleUses(db);
  const before = await db.selectFrom('licenses').select('uses').where('id', '=', id).executeTakeFirst();
  if (!before || before.uses === 0) return 0;
  await db.updateTable('licenses').set({ uses: 0 }).where('id', '=', id).execute();
  return before.uses;
}

/** Swaps the key, only if `oldKeyHash` is still current (two racing rotations: one wins). */
export async function replaceKey(
  db: Executor,
  id: string,
  oldKeyHash: string,
  change: Pick<LicenseTable, 'key_hash' | 'key_encrypted' | 'grace_key_hash' | 'grace_ends_at' | 'rotated_at'> & Partial<Pick<LicenseTable, 'disabled_at'>>,
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

// --- what the License API presents

/** Everything a verify answer (and the seller's mutations) present: license, purchase, product, seller. */
export function licenseView(db: Executor) {
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
      'licenses.key_encrypted',
      'licenses.purchase_id',
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
      'purchases.dispute_won',
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
      // The instance owner stopped the seller's licenses (src/admin); watched by migration 0018's trigger.
      'users.licenses_stopped_at as seller_licenses_stopped_at',
      'offer_codes.name as offer_code_name',
      'offer_codes.amount_cents as offer_code_amount_cents',
      'offer_codes.percent_off as offer_code_percent_off',
      'offer_codes.currency as offer_code_currency',
    ]);
}

export type LicenseView = Awaited<ReturnType<ReturnType<typeof licenseView>['executeTakeFirstOrThrow']>>;

export async function viewById(db: Executor, id: string): Promise<LicenseView | undefined> {
  await settleUses(db);
  return licenseView(db).where('licenses.id', '=', id).executeTakeFirst();
}

/** A license by its current key (the seller's mutations: a retired key does not name it). */
export async function viewByCurrentKey(db: Executor, keyHash: string): Promise<LicenseView | undefined> {
  await settleUses(db);
  return licenseView(db).where('licenses.key_hash', '=', keyHash).executeTakeFirst();
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

