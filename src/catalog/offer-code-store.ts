import type { Executor } from '../db/database.js';
import type { OfferCodeRow, ProductRow } from './tables.js';

export async function insertOfferCode(db: Executor, row: OfferCodeRow): Promise<void> {
  await db.insertInto('offer_codes').values(row).execute();
}

export async function updateOfferCode(db: Executor, id: string, changes: Partial<OfferCodeRow>): Promise<void> {
  await db.updateTable('offer_codes').set(changes).where('id', '=', id).execute();
}

/** The product's live codes plus the seller's universal codes in the product's currency, oldest first. */
export async function liveForProduct(db: Executor, product: ProductRow): Promise<OfferCodeRow[]> {
  return db
    .selectFrom('offer_codes')
    .selectAll()
    .where('seller_id', '=', product.seller_id)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('product_id', '=', product.id), eb.and([eb('universal', '=', 1), eb('currency', '=', product.currency)])]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findLiveForProduct(db: Executor, product: ProductRow, externalId: string): Promise<OfferCodeRow | undefined> {
  return (await liveForProduct(db, product)).find((c) => c.external_id === externalId);
}

/** The code a buyer typed, case-insensitively, among the codes that apply to the product. */
export async function findByNameForProduct(db: Executor, product: ProductRow, name: string): Promise<OfferCodeRow | undefined> {
  return (await liveForProduct(db, product)).find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Whether the seller already has a live code with that name (any case). */
export async function nameTaken(db: Executor, sellerId: string, name: string): Promise<boolean> {
  const rows = await db.selectFrom('offer_codes').select('name').where('seller_id', '=', sellerId).where('deleted_at', 'is', null).execute();
  return rows.some((r) => r.name.toLowerCase() === name.toLowerCase());
}

/** Purchases made with each code (refunded ones included, as the code was used). */
export async function timesUsed(db: Executor, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('purchases')
    .select((eb) => ['offer_code_id', eb.fn.countAll<number>().as('n')])
    .where('offer_code_id', 'in', ids)
    .groupBy('offer_code_id')
    .execute();
  for (const r of rows) out.set(r.offer_code_id!, Number(r.n));
  return out;
}

export async function findByIds(db: Executor, ids: string[]): Promise<OfferCodeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('offer_codes').selectAll().where('id', 'in', ids).execute();
}
