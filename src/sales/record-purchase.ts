import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import * as offerCodes from '../catalog/offer-code-store.js';
import { optionalWholeNumberParam, stringMapParam, textParam, wholeNumberParam } from '../catalog/params.js';
import { discountedPrice } from '../catalog/pricing.js';
import * as products from '../catalog/product-store.js';
import type { OfferCodeRow, ProductRow } from '../catalog/tables.js';
import * as variantStore from '../catalog/variant-store.js';
import { lockRow, type Executor, type Trx } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { issueLicense } from '../licenses/issue.js';
import { newExternalId, newId } from '../util/ids.js';
import * as purchases from './purchase-store.js';
import { freshOrderNumbers, newPurchaseRow } from './purchase-row.js';
import { presentSales, type Sale } from './sale-present.js';
import { ensureInStock, type ChosenOption } from './stock-check.js';
import * as subscriptions from './subscription-store.js';

/** What a recorded purchase says; HTTP values arrive as strings, in-process callers may pass numbers. */
export interface PurchaseInput {
  /** The product's external id, unique permalink or custom permalink. */
  product?: unknown;
  email?: unknown;
  full_name?: unknown;
  /** Total paid in cents; computed from the product, variants, quantity and offer code when absent. */
  price?: unknown;
  quantity?: unknown;
  /** {category title: option name}. */
  variants?: unknown;
  /** {field name: value}. */
  custom_fields?: unknown;
  /** The discount code the buyer used. */
  offer_code?: unknown;
}

/** In-process only (CSV import, tests): never read from an HTTP request. */
export interface RecordOptions {
  /** An existing license key to keep (imported customers). */
  licenseKey?: string;
  isImported?: boolean;
  createdAt?: number;
}

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseEmail(value: unknown): string {
  const email = textParam(value ?? '', 'email', 255).trim();
  if (!EMAIL.test(email)) throw invalid("The 'email' parameter must be a valid email address.");
  return email;
}

/** Matches the chosen options against the product's categories (any case) and stores their real names. */
async function resolveVariants(db: Executor, product: ProductRow, chosen: Record<string, string>) {
  const categories = await variantStore.liveCategories(db, [product.id]);
  const options = await variantStore.liveVariants(db, categories.map((c) => c.id));
  const stored: Record<string, string> = {};
  const picked: ChosenOption[] = [];
  let priceDifference = 0;
  for (const [title, name] of Object.entries(chosen)) {
    const category = categories.find((c) => c.title.toLowerCase() === title.toLowerCase());
    if (!category) throw invalid(`'${title}' is not a variant category of this product.`);
    const option = options.find((v) => v.variant_category_id === category.id && v.name.toLowerCase() === name.toLowerCase());
    if (!option) throw invalid(`'${name}' is not an option of '${category.title}'.`);
    stored[category.title] = option.name;
    picked.push({ category, option });
    priceDifference += option.price_difference_cents;
  }
  return { stored, picked, priceDifference };
}

async function resolveOfferCode(trx: Trx, ctx: AppContext, product: ProductRow, name: unknown): Promise<OfferCodeRow | null> {
  if (name === undefined || name === null || name === '') return null;
  const code = await offerCodes.findByNameForProduct(trx, product, textParam(name, 'offer_code', 100).trim());
  if (!code) throw invalid('Sorry, the discount code you wish to use is invalid.');
  if (code.max_purchase_count !== null) {
    await lockRow(trx, ctx.dialect, 'offer_codes', code.id);
    const used = (await offerCodes.timesUsed(trx, [code.id])).get(code.id) ?? 0;
    if (used >= code.max_purchase_count) throw invalid('Sorry, the discount code you wish to use has expired.');
  }
  return code;
}

/**
 * Records a purchase (Tessera is not a payment processor): POST /v2/purchases, the CLI, the
 * dashboard and the flows engine call it. A licensed product's purchase gets its license in the
 * same transaction; a subscription product's purchase starts a subscription.
 */
export async function recordPurchase(ctx: AppContext, sellerId: string, input: PurchaseInput, actor: Actor, options: RecordOptions = {}): Promise<Sale> {
  const ref = textParam(input.product ?? '', 'product', 255).trim();
  const email = parseEmail(input.email);
  const fullName = input.full_name === undefined || input.full_name === '' ? null : textParam(input.full_name, 'full_name', 255);
  const quantity = input.quantity === undefined || input.quantity === '' ? 1 : wholeNumberParam(input.quantity, 'quantity', 10_000);
  if (quantity < 1) throw invalid("The 'quantity' parameter must be at least 1.");
  const givenPrice = optionalWholeNumberParam(input.price, 'price');
  const chosenVariants = stringMapParam(input.variants, 'variants');
  const customFields = stringMapParam(input.custom_fields, 'custom_fields');

  const row = await ctx.db.transaction().execute(async (trx) => {
    const product = ref ? await products.findLiveByAnyId(trx, sellerId, ref) : undefined;
    if (!product) throw new TesseraError('PRODUCT_NOT_FOUND');
    // Serialises purchases of one product so the product's and its options' max_purchase_count hold under concurrency.
    await lockRow(trx, ctx.dialect, 'products', product.id);
    const { stored, picked, priceDifference } = await resolveVariants(trx, product, chosenVariants);
    await ensureInStock(trx, ctx.dialect, product, picked, quantity);
    const code = await resolveOfferCode(trx, ctx, product, input.offer_code);
    const unitPrice = product.price + priceDifference;
    const price = givenPrice ?? (code ? discountedPrice(unitPrice, code) : unitPrice) * quantity;
    const now = options.createdAt ?? Date.now();
    const [orderNumber] = await freshOrderNumbers(trx, 1);
    const row = newPurchaseRow({
      seller_id: sellerId,
      product_id: product.id,
      email,
      full_name: fullName,
      price,
      quantity,
      currency: product.currency,
      variants: JSON.stringify(stored),
      custom_fields: JSON.stringify(customFields),
      offer_code_id: code?.id ?? null,
      order_number: orderNumber!,
      subscription_id: product.subscription_duration ? newId() : null,
      is_imported: options.isImported ? 1 : 0,
      created_at: now,
    });
    await purchases.insertPurchase(trx, row);
    if (row.subscription_id) {
      await subscriptions.insertSubscription(trx, {
        id: row.subscription_id,
        external_id: newExternalId(),
        seller_id: sellerId,
        product_id: product.id,
        original_purchase_id: row.id,
        recurrence: product.subscription_duration!,
        user_requested_cancellation_at: null,
        created_at: now,
      });
    }
    if (product.is_licensed === 1) {
      await issueLicense(trx, ctx, { purchaseId: row.id, productId: product.id, sellerId, key: options.licenseKey, actor });
    }
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'purchase.recorded',
      target: { type: 'sale', id: row.external_id },
      metadata: { product_id: product.external_id, price, currency: row.currency, quantity, offer_code: code?.name ?? null, imported: row.is_imported === 1 },
    });
    if (!options.isImported) await ctx.saleEvents.announce(trx, row, 'sale');
    return row;
  });
  return (await presentSales(ctx.db, ctx, [row]))[0]!;
}
