import type { Executor } from '../db/database.js';
import type { ProductRow } from '../catalog/tables.js';
import type { PurchaseRow, SubscriptionRow } from '../sales/tables.js';

// The reads webhook payloads make of other domains' tables (products, users, subscriptions,
// offer codes, purchases, licenses), inside the transaction of the event they announce.

/** A product by id (it must exist). */
export async function productById(db: Executor, id: string): Promise<ProductRow> {
  return (await db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as ProductRow;
}

/** A user's external id (the user must exist). */
export async function userExternalId(db: Executor, id: string): Promise<string> {
  return (await db.selectFrom('users').select('external_id').where('id', '=', id).executeTakeFirstOrThrow()).external_id;
}

/** A subscription by id, if there is one. */
export async function subscriptionById(db: Executor, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An offer code's name (the code a buyer typed), if the code exists. */
export async function offerCodeName(db: Executor, id: string): Promise<string | undefined> {
  return (await db.selectFrom('offer_codes').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/** A purchase by id (it must exist). */
export async function purchaseById(db: Executor, id: string): Promise<PurchaseRow> {
  return (await db.selectFrom('purchases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as PurchaseRow;
}

/** The external ids of a subscription's charges (its purchases), oldest first. */
export async function chargeExternalIds(db: Executor, subscriptionId: string): Promise<string[]> {
  const rows = await db.selectFrom('purchases').select('external_id').where('subscription_id', '=', subscriptionId).orderBy('created_at').orderBy('order_number').execute();
  return rows.map((r) => r.external_id);
}

/** The encrypted license key of a purchase, if it has a license. */
export async function licenseKeyEncrypted(db: Executor, purchaseId: string): Promise<string | undefined> {
  return (await db.selectFrom('licenses').select('key_encrypted').where('purchase_id', '=', purchaseId).executeTakeFirst())?.key_encrypted;
}

/** When a license was disabled (null: enabled) and last rotated (the license must exist). */
export async function licenseState(db: Executor, id: string): Promise<{ disabled_at: number | null; rotated_at: number | null }> {
  return db.selectFrom('licenses').select(['disabled_at', 'rotated_at']).where('id', '=', id).executeTakeFirstOrThrow();
}
