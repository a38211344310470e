import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { CustomFieldRow } from './tables.js';

export async function insertField(db: Executor, row: CustomFieldRow): Promise<void> {
  await db.insertInto('custom_fields').values(row).execute();
}

export async function attach(db: Executor, productId: string, fieldId: string): Promise<void> {
  await db.insertInto('product_custom_fields').values({ product_id: productId, custom_field_id: fieldId }).execute();
}

export async function detach(db: Executor, productId: string, fieldId: string): Promise<void> {
  await db.deleteFrom('product_custom_fields').where('product_id', '=', productId).where('custom_field_id', '=', fieldId).execute();
}

export async function deleteField(db: Executor, fieldId: string): Promise<void> {
  await db.deleteFrom('custom_fields').where('id', '=', fieldId).execute();
}

export async function updateField(db: Executor, id: string, changes: Partial<CustomFieldRow>): Promise<void> {
  await db.updateTable('custom_fields').set(changes).where('id', '=', id).execute();
}

/** The fields attached to the products, with the product each is attached to, in creation order. */
export async function fieldsOfProducts(db: Executor, productIds: string[]): Promise<(CustomFieldRow & { product_id: string })[]> {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('custom_fields')
    .innerJoin('product_custom_fields', 'product_custom_fields.custom_field_id', 'custom_fields.id')
    .selectAll('custom_fields')
    .select('product_custom_fields.product_id')
    .where('product_custom_fields.product_id', 'in', productIds)
    .orderBy('custom_fields.created_at')
    .orderBy('custom_fields.id')
    .execute();
}

/** External ids of the products each field is attached to. */
export async function productsOfFields(db: Executor, fieldIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (fieldIds.length === 0) return out;
  const rows = await db
    .selectFrom('product_custom_fields')
    .innerJoin('products', 'products.id', 'product_custom_fields.product_id')
    .select(['product_custom_fields.custom_field_id', 'products.external_id'])
    .where('product_custom_fields.custom_field_id', 'in', fieldIds)
    .orderBy('products.created_at')
    .execute();
  for (const r of rows) out.set(r.custom_field_id, [...(out.get(r.custom_field_id) ?? []), r.external_id]);
  return out;
}

/** The field of that name attached to the product, in any case (Gumroad's collation compares names so). */
export async function findAttachedByName(db: Executor, productId: string, name: string): Promise<CustomFieldRow | undefined> {
  return db
    .selectFrom('custom_fields')
    .innerJoin('product_custom_fields', 'product_custom_fields.custom_field_id', 'custom_fields.id')
    .selectAll('custom_fields')
    .where('product_custom_fields.product_id', '=', productId)
    .where(sql`lower(custom_fields.name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function attachmentCount(db: Executor, fieldId: string): Promise<number> {
  const row = await db
    .selectFrom('product_custom_fields')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('custom_field_id', '=', fieldId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
