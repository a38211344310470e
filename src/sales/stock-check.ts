import type { Dialect } from '../config.js';
import * as products from '../catalog/product-store.js';
import type { ProductRow, VariantCategoryRow, VariantRow } from '../catalog/tables.js';
import * as variantStore from '../catalog/variant-store.js';
import type { Trx } from '../db/database.js';
import { TesseraError } from '../http/errors.js';

/** An option the buyer chose, with the category it belongs to. */
export interface ChosenOption {
  category: VariantCategoryRow;
  option: VariantRow;
}

const soldOut = (message: string) => new TesseraError('CATALOG_INVALID', message);

/**
 * Refuses `quantity` more units beyond the product's or a chosen option's max_purchase_count
 * (units sold, refunded sales left out). The caller holds the product's row lock, so concurrent
 * purchases of the product, whatever their options, are counted one after another.
 */
export async function ensureInStock(trx: Trx, dialect: Dialect, product: ProductRow, options: ChosenOption[], quantity: number): Promise<void> {
  if (product.max_purchase_count !== null && (await products.unitsSold(trx, product.id)) + quantity > product.max_purchase_count) {
    throw soldOut('This product is sold out.');
  }
  for (const { category, option } of options) {
    if (option.max_purchase_count === null) continue;
    const left = option.max_purchase_count - (await variantStore.unitsSold(trx, dialect, product.id, category.title, option.name));
    // Gumroad's sentences for an option (Purchase#variants_available).
    if (left <= 0) throw soldOut('Sold out, please go back and pick another option.');
    if (quantity > left) throw soldOut('You have chosen a quantity that exceeds what is available.');
  }
}
