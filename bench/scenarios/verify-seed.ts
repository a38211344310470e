import { CLI_ACTOR, type AppContext } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { generateLicenseKey } from '../../src/licenses/key.js';
import { settleUses } from '../../src/licenses/verify/use-log-store.js';
import type { LicenseTable } from '../../src/licenses/tables.js';
import type { PurchaseTable } from '../../src/sales/tables.js';
import { freshOrderNumbers, newPurchaseRow } from '../../src/sales/purchase-row.js';
import { newExternalId, newId } from '../../src/util/ids.js';

export interface SeededLicenses {
  productId: string;
  /** Plain keys spread evenly over the whole set, for the requests to cycle through. */
  sample: string[];
}

const ROWS_PER_INSERT = 250;
const ROWS_PER_TRANSACTION = 10_000;

let seeds = 0;

/**
 * N licensed purchases of one product, as recordPurchase would store them, written with multi-row
 * inserts in transactions of 10,000 (a million takes tens of seconds, not hours). Order numbers
 * are drawn as recordPurchase draws them (random, unused so far), so several scenarios may each
 * seed their own set into one database.
 */
export async function seedLicenses(ctx: AppContext, count: number, sampleSize = 1000): Promise<SeededLicenses> {
  const seller = await createUser(ctx, { email: `bench-licenses-${Date.now()}-${++seeds}@example.com`, password: 'bench password' }, CLI_ACTOR);
  const product = await createProduct(ctx, seller.id, { name: 'Bench App', price: '1500', is_licensed: 'true' }, CLI_ACTOR);
  const productRow = await ctx.db.selectFrom('products').select('id').where('external_id', '=', product.id).executeTakeFirstOrThrow();
  const every = Math.max(1, Math.floor(count / sampleSize));
  const sample: string[] = [];
  const now = Date.now();

  for (let start = 0; start < count; start += ROWS_PER_TRANSACTION) {
    const end = Math.min(count, start + ROWS_PER_TRANSACTION);
    await ctx.db.transaction().execute(async (trx) => {
      for (let from = start; from < end; from += ROWS_PER_INSERT) {
        const purchases: PurchaseTable[] = [];
        const licenses: LicenseTable[] = [];
        const to = Math.min(end, from + ROWS_PER_INSERT);
        const orderNumbers = await freshOrderNumbers(trx, to - from);
        for (let i = from; i < to; i++) {
          const key = generateLicenseKey();
          if (i % every === 0 && sample.length < sampleSize) sample.push(key);
          const purchase = newPurchaseRow({
            seller_id: seller.id,
            product_id: productRow.id,
            email: `buyer-${i}@example.com`,
            price: 1500,
            currency: 'usd',
            order_number: orderNumbers[i - from]!,
            created_at: now,
          });
          const purchaseId = purchase.id;
          purchases.push(purchase);
          licenses.push({
            id: newId(),
            external_id: newExternalId(),
            purchase_id: purchaseId,
            product_id: productRow.id,
            seller_id: seller.id,
            key_hash: ctx.keys.hash(key),
            key_encrypted: ctx.keys.encrypt(key),
            uses: 0,
            disabled_at: null,
            grace_key_hash: null,
            grace_ends_at: null,
            rotated_at: null,
            created_at: now,
          });
        }
        await trx.insertInto('purchases').values(purchases).execute();
        await trx.insertInto('licenses').values(licenses).execute();
      }
    });
  }
  return { productId: product.id, sample };
}

let seeding: Promise<SeededLicenses> | undefined;
/** One seeded set for every license scenario of a run (the order numbers are fixed: seeding twice collides). */
export function sharedLicenses(ctx: AppContext, count: number): Promise<SeededLicenses> {
  return (seeding ??= seedLicenses(ctx, count));
}

/** Sum of the uses of every license of the product. */
export async function totalUses(ctx: AppContext, productExternalId: string): Promise<number> {
  // The server was killed, not stopped: uses it logged but had not folded yet are folded now.
  await settleUses(ctx.db);
  const row = await ctx.db
    .selectFrom('licenses')
    .innerJoin('products', 'products.id', 'licenses.product_id')
    .select((eb) => eb.fn.sum<number>('licenses.uses').as('uses'))
    .where('products.external_id', '=', productExternalId)
    .executeTakeFirstOrThrow();
  return Number(row.uses ?? 0);
}
