import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import * as accounts from '../../accounts/store.js';
import { coverPath } from '../../catalog/cover.js';
import * as covers from '../../catalog/cover-store.js';
import { formattedPrice, productUrl } from '../../catalog/product-present.js';
import * as products from '../../catalog/product-store.js';
import { TesseraError } from '../../http/errors.js';
import { PublicProfilePage } from '../pages/public-profile.js';
import { sendPage } from '../render.js';

/**
 * GET /u/:user_id: a seller's public profile, the `url` of GET /v2/user (Gumroad's
 * `<username>.gumroad.com`): their name and bio, never their email, and their products on sale,
 * each linking to its /l/:permalink page. No session needed; an unknown id is a 404.
 */
export async function publicProfilePages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.get<{ Params: { userId: string } }>('/u/:userId', async (request, reply) => {
    const { userId } = request.params;
    const seller = userId.length <= 64 ? await accounts.findUserByExternalId(ctx.db, userId) : undefined;
    if (!seller) throw new TesseraError('NOT_FOUND', 'There is no seller at this address.');
    const rows = await products.listPublished(ctx.db, seller.id);
    const versions = await covers.coverVersions(ctx.db, rows.map((r) => r.id));
    return sendPage(
      reply,
      h(PublicProfilePage, {
        sellerName: seller.name,
        bio: seller.bio,
        products: rows.map((row) => {
          const version = versions.get(row.id);
          return { name: row.name, price: formattedPrice(row), href: productUrl(ctx, row), coverSrc: version === undefined ? null : coverPath(row, version) };
        }),
      }),
    );
  });
}
