import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { PurchaseRow } from './tables.js';

export async function insertPurchase(db: Executor, row: PurchaseRow): Promise<void> {
  await db.insertInto('purchases').values(row).execute();
}

/** Imported customers' purchases, many rows per statement (recordPurchase is one transaction per purchase). */
export async function insertImportedPurchases(db: Executor, rows: PurchaseRow[]): Promise<void> {
  await db.insertInto('purchases').values(rows).execute();
}

export async function updatePurchase(db: Executor, id: string, changes: Partial<PurchaseRow>): Promise<void> {
  await db.updateTable('purchases').set(changes).where('id', '=', id).execute();
}

/** A sale of the seller by its external id (another seller's sale is not found). */
export async function findOwned(db: Executor, sellerId: string, externalId: string): Promise<PurchaseRow | undefined> {
  return db.selectFrom('purchases').selectAll().where('seller_id', '=', sellerId).where('external_id', '=', externalId).executeTakeFirst();
}

/** Which of these order numbers some purchase already has. */
export async function existingOrderNumbers(db: Executor, candidates: number[]): Promise<number[]> {
  const rows = await db.selectFrom('purchases').select('order_number').where('order_number', 'in', candidates).execute();
  return rows.map((r) => r.order_number);
}

/** A position in the newest-first order: the page after it starts just below. */
export interface SaleCursor {
  createdAt: number;
  orderNumber: number;
}

export interface SaleFilter {
  sellerId: string;
  createdFrom?: number;
  createdBefore?: number;
  productId?: string;
  email?: string;
  /** Only these purchases (the license_key filter). */
  purchaseIds?: string[];
  orderNumber?: number;
  after?: SaleCursor;
  offset?: number;
  limit: number;
}

/** Sales newest first (created_at, then order number, descending). */
export async function listSales(db: Executor, f: SaleFilter): Promise<PurchaseRow[]> {
  let query = db.selectFrom('purchases').selectAll().where('seller_id', '=', f.sellerId);
  if (f.createdFrom !== undefined) query = query.where('created_at', '>=', f.createdFrom);
  if (f.createdBefore !== undefined) query = query.where('created_at', '<', f.createdBefore);
  if (f.productId !== undefined) query = query.where('product_id', '=', f.productId);
  // Case-insensitive, as Gumroad's collation compares emails.
  if (f.email !== undefined) query = query.where(sql`lower(email)`, '=', f.email.toLowerCase());
  if (f.purchaseIds !== undefined) query = query.where('id', 'in', f.purchaseIds.length > 0 ? f.purchaseIds : ['']);
  if (f.orderNumber !== undefined) query = query.where('order_number', '=', f.orderNumber);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('order_number', '<', after.orderNumber)]),
      ]),
    );
  }
  query = query.orderBy('created_at', 'desc').orderBy('order_number', 'desc').limit(f.limit);
  if (f.offset) query = query.offset(f.offset);
  return query.execute();
}

/** The purchases of each subscription, oldest first. */
export async function purchasesOfSubscriptions(db: Executor, subscriptionIds: string[]): Promise<PurchaseRow[]> {
  if (subscriptionIds.length === 0) return [];
  return db.selectFrom('purchases').selectAll().where('subscription_id', 'in', subscriptionIds).orderBy('created_at').execute();
}

/** The public ids (`external_id`) of the sellers of a page of sales, by internal id. */
export async function sellerExternalIds(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'external_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.external_id]));
}

export async function findByIds(db: Executor, ids: string[]): Promise<PurchaseRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('purchases').selectAll().where('id', 'in', ids).execute();
}
