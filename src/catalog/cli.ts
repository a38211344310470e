import { CLI_ACTOR } from '../context.js';
import type { Command } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import type { AppContext } from '../context.js';
import type { Product } from './product-present.js';
import { createProduct } from './product-service.js';
import * as products from './product-store.js';

/**
 * The ids a script needs: the external id, the permalink buyers see, and the short (unique)
 * permalink, which short_url no longer shows once a custom permalink is set.
 */
export async function productIds(ctx: AppContext, sellerId: string, product: Product) {
  const row = (await products.findOwned(ctx.db, sellerId, product.id))!;
  return { id: row.external_id, permalink: row.custom_permalink ?? row.unique_permalink, short_product_id: row.unique_permalink };
}

export const catalogCommands: Command[] = [
  {
    name: 'product create',
    summary: 'Create a product for a seller',
    options: {
      email: { type: 'string', required: true, description: "Seller's email" },
      name: { type: 'string', required: true, description: 'Product name' },
      price: { type: 'string', description: 'Price in cents (default 0)' },
      permalink: { type: 'string', description: 'Custom permalink' },
      licenses: { type: 'boolean', description: 'Give every purchase a license key' },
    },
    async run(ctx, o) {
      const seller = await requireUserByEmail(ctx, String(o.email));
      const product = await createProduct(
        ctx,
        seller.id,
        { name: o.name, price: o.price, custom_permalink: o.permalink, is_licensed: o.licenses === true ? 'true' : undefined },
        CLI_ACTOR,
      );
      return productIds(ctx, seller.id, product);
    },
    describe: (r) => `Product ${r.id}\npermalink        ${r.permalink}\nshort_product_id ${r.short_product_id}`,
  },
];
