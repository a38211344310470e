import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import * as accounts from '../../accounts/store.js';
import { profileUrl } from '../../accounts/v2-user.js';
import { coverPath } from '../../catalog/cover.js';
import * as covers from '../../catalog/cover-store.js';
import { formattedPrice } from '../../catalog/product-present.js';
import * as products from '../../catalog/product-store.js';
import { TesseraError } from '../../http/errors.js';
import { PublicProductPage } from '../pages/public-product.js';
import { sendPage } from '../render.js';

const NOT_ON_SALE = 'This product does not exist or is not on sale.';

/**
 * GET /l/:permalink: the public page of a published product (short_url and the License API's
 * product_permalink point here), found by its unique or custom permalink. No session needed.
 * GET /l/:permalink/cover: its cover image, from the database (the page loads nothing from elsewhere).
 */
export async function publicProductPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const published = (permalink: string) => (permalink.length <= 255 ? products.findPublishedByPermalink(ctx.db, permalink) : Promise.resolve(undefined));

  app.get<{ Params: { permalink: string } }>('/l/:permalink', async (request, reply) => {
    const row = await published(request.params.permalink);
    if (!row) throw new TesseraError('NOT_FOUND', NOT_ON_SALE);
    const [seller, versions] = await Promise.all([accounts.findUserById(ctx.db, row.seller_id), covers.coverVersions(ctx.db, [row.id])]);
    const version = versions.get(row.id);
    return sendPage(
      reply,
      h(PublicProductPage, {
        name: row.name,
        description: row.description,
        price: formattedPrice(row),
        sellerName: seller?.name ?? null,
        sellerHref: seller ? profileUrl(ctx, seller.external_id) : '/',
        coverSrc: version === undefined ? null : coverPath(row, version),
      }),
    );
  });

  app.get<{ Params: { permalink: string } }>('/l/:permalink/cover', async (request, reply) => {
    const row = await published(request.params.permalink);
    const cover = row ? await covers.readCover(ctx.db, row.id) : undefined;
    if (!cover) throw new TesseraError('NOT_FOUND', 'This product has no cover.');
    // The URL carries the cover's version (?v=): a new cover is a new URL, so caching is safe.
    return reply.type(cover.content_type).header('cache-control', 'public, max-age=3600').send(cover.content);
  });
}
