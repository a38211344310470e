import type { AppContext } from '../../context.js';
import { listCustomFields, type CustomField } from '../../catalog/custom-field-service.js';
import { listOfferCodes, type OfferCode } from '../../catalog/offer-code-service.js';
import { requireProduct } from '../../catalog/product-service.js';
import { listVariantCategories, listVariants, type Variant, type VariantCategory } from '../../catalog/variant-service.js';
import * as licenses from '../../licenses/store.js';

/** A variant category with its options, as the product page lists them. */
export interface CategoryWithOptions extends VariantCategory {
  options: Variant[];
}

/** The parts of a product the dashboard edits beside its settings, read through the catalog services. */
export interface ProductParts {
  categories: CategoryWithOptions[];
  offerCodes: OfferCode[];
  customFields: CustomField[];
}

export async function productParts(ctx: AppContext, sellerId: string, productId: string): Promise<ProductParts> {
  const [categories, offerCodes, customFields] = await Promise.all([
    listVariantCategories(ctx, sellerId, productId),
    listOfferCodes(ctx, sellerId, productId),
    listCustomFields(ctx, sellerId, productId),
  ]);
  const options = await Promise.all(categories.map((c) => listVariants(ctx, sellerId, productId, c.id)));
  return { categories: categories.map((c, i) => ({ ...c, options: options[i]! })), offerCodes, customFields };
}

/** How many license keys the product's sales hold (the delete confirmation names them). */
export async function productLicenseCount(ctx: AppContext, sellerId: string, productId: string): Promise<{ total: number; enabled: number }> {
  const row = await requireProduct(ctx.db, sellerId, productId);
  return licenses.countForProduct(ctx.db, row.id);
}
