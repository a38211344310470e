import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import * as accounts from '../../accounts/store.js';
import { formattedPrice } from '../../catalog/product-present.js';
import * as products from '../../catalog/product-store.js';
import { TesseraError } from '../../http/errors.js';
import { PublicProductPage } from '../pages/public-product.js';
import { sendPage } from '../render.js';

/**
 * GET /l/:permalink: the public page of a published product (short_url and the License API's
 * product_permalink point here), found by its unique or custom permalink. No session needed.
 */
export async function publicProductPages(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { permalink: string } }>('/l/:permalink', async (request, reply) => {
    const permalink = request.params.permalink;
    const row = permalink.length <= 255 ? await products.findPublishedByPermalink(app.ctx.db, permalink) : undefined;
    if (!row) throw new TesseraError('NOT_FOUND', 'This product does not exist or is not on sale.');
    const seller = await accounts.findUserById(app.ctx.db, row.seller_id);
    return sendPage(reply, h(PublicProductPage, { name: row.name, description: row.description, price: formattedPrice(row), sellerName: seller?.name ?? null }));
  });
}
