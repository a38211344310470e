import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor } from '../db/database.js';
import type { VariantCategoryRow, VariantRow } from './tables.js';

export async function insertCategory(db: Executor, row: VariantCategoryRow): Promise<void> {
  await db.insertInto('variant_categories').values(row).execute();
}

export async function insertVariant(db: Executor, row: VariantRow): Promise<void> {
  await db.insertInto('variants').values(row).execute();
}

export async function findLiveCategory(db: Executor, productId: string, externalId: string): Promise<VariantCategoryRow | undefined> {
  return db
    .selectFrom('variant_categories')
    .selectAll()
    .where('product_id', '=', productId)
    .where('external_id', '=', externalId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findLiveVariant(db: Executor, categoryId: string, externalId: string): Promise<VariantRow | undefined> {
  return db
    .selectFrom('variants')
    .selectAll()
    .where('variant_category_id', '=', categoryId)
    .where('external_id', '=', externalId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Live categories of the products, in creation order. */
export async function liveCategories(db: Executor, productIds: string[]): Promise<VariantCategoryRow[]> {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('variant_categories')
    .selectAll()
    .where('product_id', 'in', productIds)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Live variants of the categories, in creation order. */
export async function liveVariants(db: Executor, categoryIds: string[]): Promise<VariantRow[]> {
  if (categoryIds.length === 0) return [];
  return db
    .selectFrom('variants')
    .selectAll()
    .where('variant_category_id', 'in', categoryIds)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateCategory(db: Executor, id: string, changes: Partial<VariantCategoryRow>): Promise<void> {
  await db.updateTable('variant_categories').set(changes).where('id', '=', id).execute();
}

export async function updateVariant(db: Executor, id: string, changes: Partial<VariantRow>): Promise<void> {
  await db.updateTable('variants').set(changes).where('id', '=', id).execute();
}

/**
 * How many units of one option of a product were sold (sum of quantities, refunded sales left
 * out), as products.unitsSold counts the product's. A sale names its options by the category
 * title and option name they had when it was recorded (purchases.variants).
 */
export async function unitsSold(db: Executor, dialect: Dialect, productId: string, categoryTitle: string, optionName: string): Promise<number> {
  const chose =
    dialect === 'postgres'
      ? sql<boolean>`(purchases.variants::jsonb ->> ${categoryTitle}) = ${optionName}`
      : sql<boolean>`exists (select 1 from json_each(purchases.variants) where json_each.key = ${categoryTitle} and json_each.value = ${optionName})`;
  const row = await db
    .selectFrom('purchases')
    .select((eb) => eb.fn.sum<number>('quantity').as('units'))
    .where('product_id', '=', productId)
    .where('refunded', '=', 0)
    .where(chose)
    .executeTakeFirst();
  return Number(row?.units ?? 0);
}
