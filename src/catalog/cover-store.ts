import type { Executor } from '../db/database.js';
import type { ProductCoverTable } from './tables.js';

/** Sets a product's cover, replacing the one it had. */
export async function saveCover(db: Executor, cover: ProductCoverTable): Promise<void> {
  const { product_id: _id, ...changes } = cover;
  await db.insertInto('product_covers').values(cover).onConflict((oc) => oc.column('product_id').doUpdateSet(changes)).execute();
}

export async function deleteCover(db: Executor, productId: string): Promise<void> {
  await db.deleteFrom('product_covers').where('product_id', '=', productId).execute();
}

/** When each of these products' covers last changed (products without one are absent). */
export async function coverVersions(db: Executor, productIds: string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.selectFrom('product_covers').select(['product_id', 'updated_at']).where('product_id', 'in', productIds).execute();
  return new Map(rows.map((r) => [r.product_id, Number(r.updated_at)]));
}

export async function readCover(db: Executor, productId: string): Promise<{ content_type: string; content: Buffer; updated_at: number } | undefined> {
  const row = await db.selectFrom('product_covers').select(['content_type', 'content', 'updated_at']).where('product_id', '=', productId).executeTakeFirst();
  return row ? { content_type: row.content_type, content: Buffer.from(row.content), updated_at: Number(row.updated_at) } : undefined;
}
