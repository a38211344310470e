import type { Executor } from '../db/database.js';
import type { ProductLicenseSettingsTable } from './tables.js';

/** `product_license_settings`: a product's seats and license-file settings (src/catalog/product-licensing.ts). */

/** A product's settings (undefined: none set). */
export function productSettings(db: Executor, productId: string): Promise<ProductLicenseSettingsTable | undefined> {
  return db.selectFrom('product_license_settings').selectAll().where('product_id', '=', productId).executeTakeFirst();
}

/** The settings of many products, by product id (product objects show them). */
export async function productSettingsMany(db: Executor, productIds: string[]): Promise<Map<string, ProductLicenseSettingsTable>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.selectFrom('product_license_settings').selectAll().where('product_id', 'in', productIds).execute();
  return new Map(rows.map((r) => [r.product_id, r]));
}

export async function saveProductSettings(db: Executor, productId: string, changes: Partial<Omit<ProductLicenseSettingsTable, 'product_id'>>) {
  const current = await productSettings(db, productId);
  const row = { product_id: productId, activation_limit: null, license_file_ttl: null, license_file_email: 0, ...current, ...changes };
  if (current) await db.updateTable('product_license_settings').set(changes).where('product_id', '=', productId).execute();
  else await db.insertInto('product_license_settings').values(row).execute();
}
