import { randomBytes } from 'node:crypto';
import { CLI_ACTOR, type AppContext } from '../context.js';
import type { Command } from '../cli/command.js';
import { createUser } from '../accounts/service.js';
import { createApplication, generateOwnerToken } from '../applications/service.js';
import { productIds } from '../catalog/cli.js';
import { createProduct } from '../catalog/product-service.js';
import * as products from '../catalog/product-store.js';
import { TesseraError } from '../http/errors.js';
import { recordPurchase } from './record-purchase.js';

async function purchase(ctx: AppContext, productRef: string, email: string, quantity?: string) {
  const product = await products.findLiveByPublicId(ctx.db, productRef);
  if (!product) throw new TesseraError('PRODUCT_NOT_FOUND');
  const sale = await recordPurchase(ctx, product.seller_id, { product: product.external_id, email, quantity }, CLI_ACTOR);
  return { id: sale.id, license_key: (sale.license_key as string | undefined) ?? null };
}

export const salesCommands: Command[] = [
  {
    name: 'purchase create',
    summary: 'Record a purchase (licensed products get a license key)',
    options: {
      product: { type: 'string', required: true, description: "Product id (or its short permalink)" },
      email: { type: 'string', required: true, description: "Buyer's email" },
      quantity: { type: 'string', description: 'Quantity (default 1)' },
    },
    run: (ctx, o) => purchase(ctx, String(o.product), String(o.email), o.quantity as string | undefined),
    describe: (r) => `Sale ${r.id}${r.license_key ? `\nlicense_key ${r.license_key}` : ''}`,
  },
  {
    name: 'demo',
    summary: 'Create a demo seller, application, token, licensed product and purchase, to try the API at once',
    options: {},
    async run(ctx) {
      const suffix = randomBytes(4).toString('hex');
      const email = `demo-${suffix}@example.com`;
      const password = randomBytes(12).toString('base64url');
      const seller = await createUser(ctx, { email, password }, CLI_ACTOR);
      const { application } = await createApplication(ctx, seller.id, { name: 'Demo script', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
      const token = await generateOwnerToken(ctx, seller.id, application.id, {}, CLI_ACTOR);
      const product = await createProduct(ctx, seller.id, { name: 'Demo app', price: '1500', is_licensed: 'true' }, CLI_ACTOR);
      const sale = await purchase(ctx, product.id, `buyer-${suffix}@example.com`);
      return {
        seller: { id: seller.id, email, password },
        application_id: application.id,
        access_token: token.accessToken,
        product: await productIds(ctx, seller.id, product),
        sale_id: sale.id,
        license_key: sale.license_key,
        base_url: ctx.config.publicUrl,
      };
    },
    describe: (r) =>
      [
        `Seller        ${r.seller.email}  password ${r.seller.password}`,
        `Application   ${r.application_id}`,
        `Access token  ${r.access_token}`,
        `Product       ${r.product.id}  (permalink ${r.product.short_product_id})`,
        `Sale          ${r.sale_id}`,
        `License key   ${r.license_key}`,
        '',
        'Try:',
        `  curl -s ${r.base_url}/v2/products -H 'Authorization: Bearer ${r.access_token}'`,
        `  curl -s ${r.base_url}/v2/licenses/verify -d product_id=${encodeURIComponent(r.product.id)} -d license_key=${r.license_key}`,
      ].join('\n'),
  },
];
