import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { formatMoney } from './money.js';
import * as customFields from './custom-field-store.js';
import * as products from './product-store.js';
import { coverUrl } from './cover.js';
import * as covers from './cover-store.js';
import type { ProductRow } from './tables.js';
import * as variants from './variant-store.js';
import { productLicensingFields } from './product-licensing.js';

/** The product object of the API (contract §3.2). */
export type Product = Record<string, unknown> & { id: string; name: string; price: number; published: boolean };

/** The product's public page: its custom permalink when it has one, as Gumroad's short_url. */
export function productUrl(ctx: AppContext, row: Pick<ProductRow, 'unique_permalink' | 'custom_permalink'>): string {
  return `${ctx.config.publicUrl}/l/${encodeURIComponent(row.custom_permalink ?? row.unique_permalink)}`;
}

const RECURRENCE_WORDS: Record<string, string> = {
  monthly: 'a month',
  quarterly: 'every 3 months',
  biannually: 'every 6 months',
  yearly: 'a year',
  every_two_years: 'every 2 years',
};

/**
 * Gumroad's formatted_price: the price (`$0.99` reads `99¢`), `+` when the buyer may pay more,
 * and the recurrence for a subscription: `$19.99+`, `$5 a month`, `$50+ a year`.
 */
export function formattedPrice(row: Pick<ProductRow, 'price' | 'currency' | 'customizable_price' | 'subscription_duration'>): string {
  const money = formatMoney(row.price, row.currency);
  const price = money === '$0.99' ? '99¢' : money;
  const plus = row.customizable_price === 1 ? '+' : '';
  const recurrence = row.subscription_duration ? RECURRENCE_WORDS[row.subscription_duration] : undefined;
  return `${price}${plus}${recurrence ? ` ${recurrence}` : ''}`;
}

/**
 * Presents products with their variants and custom fields in a fixed number of queries.
 * `withSales` (token has view_sales) adds sales_count, sales_usd_cents and custom_delivery_url.
 */
export async function presentProducts(db: Executor, ctx: AppContext, rows: ProductRow[], withSales: boolean): Promise<Product[]> {
  const ids = rows.map((r) => r.id);
  const categories = await variants.liveCategories(db, ids);
  const options = await variants.liveVariants(db, categories.map((c) => c.id));
  const fields = await customFields.fieldsOfProducts(db, ids);
  const licensing = await productLicensingFields(db, ids);
  const coverVersions = await covers.coverVersions(db, ids);
  const stats = withSales ? await products.salesStats(db, ids) : new Map<string, { count: number; cents: number }>();
  return rows.map((row) => {
    const version = coverVersions.get(row.id);
    // One cover image, served by Tessera (cover.ts): Gumroad's preview (the cover) and its thumbnail.
    const cover = version === undefined ? null : coverUrl(ctx, row, version);
    const product: Product = {
      id: row.external_id,
      name: row.name,
      description: row.description,
      custom_permalink: row.custom_permalink,
      custom_receipt: row.custom_receipt,
      custom_summary: row.custom_summary,
      customizable_price: row.customizable_price === 1,
      require_shipping: row.require_shipping === 1,
      preview_url: cover,
      subscription_duration: row.subscription_duration,
      url: null,
      price: row.price,
      currency: row.currency,
      short_url: productUrl(ctx, row),
      thumbnail_url: cover,
      tags: JSON.parse(row.tags) as string[],
      formatted_price: formattedPrice(row),
      published: row.published === 1 && row.deleted_at === null,
      deleted: row.deleted_at !== null,
      file_info: {},
      max_purchase_count: row.max_purchase_count,
      custom_fields: fields
        .filter((f) => f.product_id === row.id)
        .map((f) => ({ id: f.external_id, type: f.type, name: f.name, required: f.required === 1, collect_per_product: f.collect_per_product === 1 })),
      is_tiered_membership: false,
      recurrences: null,
      variants: categories
        .filter((c) => c.product_id === row.id)
        .map((c) => ({
          title: c.title,
          options: options
            .filter((v) => v.variant_category_id === c.id)
            .map((v) => ({ name: v.name, price_difference: v.price_difference_cents, is_pay_what_you_want: false, recurrence_prices: null, url: null })),
        })),
      is_licensed: row.is_licensed === 1,
      // Gumroad's settings, kept as given (decision 13).
      price_currency_type: row.currency,
      suggested_price_cents: row.suggested_price_cents === null ? null : Number(row.suggested_price_cents),
      native_type: row.native_type,
      taxonomy_id: row.taxonomy_id,
      ...licensing(row.id),
    };
    if (withSales) {
      const s = stats.get(row.id);
      Object.assign(product, { sales_count: s?.count ?? 0, sales_usd_cents: s?.cents ?? 0, custom_delivery_url: null });
    }
    return product;
  });
}
