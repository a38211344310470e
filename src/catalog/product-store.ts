import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ProductRow } from './tables.js';

export async function insertProduct(db: Executor, row: ProductRow): Promise<void> {
  await db.insertInto('products').values(row).execute();
}

/** `:id` of the v2 routes: the external id or the unique permalink, soft-deleted products included. */
export async function findOwned(db: Executor, sellerId: string, ref: string): Promise<ProductRow | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where((eb) => eb.or([eb('external_id', '=', ref), eb('unique_permalink', '=', ref)]))
    .executeTakeFirst();
}

/** A live product named by external id, unique permalink or custom permalink (any case). */
export async function findLiveByAnyId(db: Executor, sellerId: string, ref: string): Promise<ProductRow | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('external_id', '=', ref), eb('unique_permalink', '=', ref), eb(sql`lower(custom_permalink)`, '=', ref.toLowerCase())]),
    )
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function findById(db: Executor, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIds(db: Executor, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('products').selectAll().where('id', 'in', ids).execute();
}

/** Every product that is not deleted (drafts and disabled ones too), newest first. */
export async function listLive(db: Executor, sellerId: string): Promise<ProductRow[]> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A seller's products on sale (published, not deleted), newest first: their public profile lists them. */
export async function listPublished(db: Executor, sellerId: string): Promise<ProductRow[]> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where('deleted_at', 'is', null)
    .where('published', '=', 1)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function updateProduct(db: Executor, id: string, changes: Partial<ProductRow>): Promise<void> {
  await db.updateTable('products').set(changes).where('id', '=', id).execute();
}

export async function customPermalinkTaken(db: Executor, sellerId: string, permalink: string, exceptId: string | null): Promise<boolean> {
  let query = db
    .selectFrom('products')
    .select('id')
    .where('seller_id', '=', sellerId)
    .where('deleted_at', 'is', null)
    .where(sql`lower(custom_permalink)`, '=', permalink.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function uniquePermalinkExists(db: Executor, permalink: string): Promise<boolean> {
  return (await db.selectFrom('products').select('id').where('unique_permalink', '=', permalink).executeTakeFirst()) !== undefined;
}

/** Sales count and net amount (price minus refunds) per product, refunded-in-full sales left out. */
export async function salesStats(db: Executor, productIds: string[]): Promise<Map<string, { count: number; cents: number }>> {
  const stats = new Map<string, { count: number; cents: number }>();
  if (productIds.length === 0) return stats;
  const rows = await db
    .selectFrom('purchases')
    .select((eb) => ['product_id', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>(sql`price - refunded_amount_cents`).as('cents')])
    .where('product_id', 'in', productIds)
    .where('refunded', '=', 0)
    .groupBy('product_id')
    .execute();
  for (const r of rows) stats.set(r.product_id, { count: Number(r.count), cents: Number(r.cents ?? 0) });
  return stats;
}

/** How many units of a product were sold (sum of quantities, refunded sales left out). */
export async function unitsSold(db: Executor, productId: string): Promise<number> {
  const row = await db
    .selectFrom('purchases')
    .select((eb) => eb.fn.sum<number>('quantity').as('units'))
    .where('product_id', '=', productId)
    .where('refunded', '=', 0)
    .executeTakeFirst();
  return Number(row?.units ?? 0);
}

/** A live product by its external id or unique permalink, whoever sells it (operator CLI). */
export async function findLiveByPublicId(db: Executor, ref: string): Promise<ProductRow | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('external_id', '=', ref), eb('unique_permalink', '=', ref)]))
    .executeTakeFirst();
}

/**
 * A published product by its unique permalink, else its custom one (any case), for the public
 * page at /l/:permalink. Custom permalinks are unique per seller only: the oldest wins.
 */
export async function findPublishedByPermalink(db: Executor, permalink: string): Promise<ProductRow | undefined> {
  const live = () => db.selectFrom('products').selectAll().where('deleted_at', 'is', null).where('published', '=', 1);
  return (
    (await live().where('unique_permalink', '=', permalink).executeTakeFirst()) ??
    (await live().where(sql`lower(custom_permalink)`, '=', permalink.toLowerCase()).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst())
  );
}
