import { randomBytes } from 'node:crypto';
import { CLI_ACTOR, type AppContext } from '../context.js';
import fs from 'node:fs';
import { UsageError, type Command } from '../cli/command.js';
import { progressBar } from '../cli/progress.js';
import { createUser } from '../accounts/service.js';
import { createApplication, generateOwnerToken } from '../applications/service.js';
import { productIds } from '../catalog/cli.js';
import { createProduct } from '../catalog/product-service.js';
import * as products from '../catalog/product-store.js';
import { TesseraError } from '../http/errors.js';
import { importLicenses } from './license-import.js';
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

/** `tessera import-licenses` (listed with the license commands in src/cli.ts): each CSV row becomes an imported purchase. */
export const importLicensesCommand: Command = {
  name: 'import-licenses',
  summary: 'Import customers with their existing license keys from a CSV (all rows or none)',
  positionals: 'FILE.csv',
  options: { product: { type: 'string', required: true, description: 'Licensed product id or permalink' } },
  async run(ctx, o, positionals) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('Give one CSV file: tessera import-licenses --product ID FILE.csv (columns: email, license_key, and optionally full_name, uses, created_at).');
    let csv: string;
    try {
      csv = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
    }
    // On a terminal (and without --json) a bar on stderr: rows done, rows/s, time left.
    const bar = progressBar(o.json ? { isTTY: false, write: () => true } : process.stderr);
    const started = performance.now();
    try {
      const result = await importLicenses(ctx, { product: String(o.product), csv, actor: CLI_ACTOR, onProgress: (phase, done, total) => bar.update(phase === 'checking' ? 'Checking keys' : 'Importing    ', done, total) });
      // Kept out of the --json object: only the summary line shows it.
      return Object.defineProperty(result, 'seconds', { value: (performance.now() - started) / 1000, enumerable: false });
    } finally {
      bar.end();
    }
  },
  describe: (r) =>
    `Imported ${r.imported} customer${r.imported === 1 ? '' : 's'} with their license keys into product ${r.product_id}` +
    (r.seconds > 0 ? ` in ${r.seconds.toFixed(1)} s (${Math.round(r.imported / r.seconds)} rows/s).` : '.') +
    (r.ignored_columns.length ? `\nIgnored columns: ${r.ignored_columns.join(', ')}` : ''),
};
