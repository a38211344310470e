import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { newExternalId, newId } from '../util/ids.js';
import { formatMoney, minimumPrice } from './money.js';
import * as offerCodes from './offer-code-store.js';
import { isTrue, optionalWholeNumberParam, textParam, wholeNumberParam } from './params.js';
import { discountedPrice } from './pricing.js';
import { requireProduct } from './product-service.js';
import * as products from './product-store.js';
import type { OfferCodeRow, ProductRow } from './tables.js';

/** The offer code object (contract §3.3). */
export interface OfferCode {
  id: string;
  name: string;
  max_purchase_count: number | null;
  universal: boolean;
  times_used: number;
  amount_cents?: number;
  percent_off?: number;
}

export interface OfferCodeParams {
  name?: unknown;
  amount_off?: unknown;
  offer_type?: unknown;
  amount_cents?: unknown;
  max_purchase_count?: unknown;
  universal?: unknown;
}

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

function present(row: OfferCodeRow, used: Map<string, number>): OfferCode {
  const code: OfferCode = {
    id: row.external_id,
    name: row.name,
    max_purchase_count: row.max_purchase_count,
    universal: row.universal === 1,
    times_used: used.get(row.id) ?? 0,
  };
  if (row.percent_off !== null) code.percent_off = row.percent_off;
  else code.amount_cents = row.amount_cents ?? 0;
  return code;
}

async function presentAll(ctx: AppContext, rows: OfferCodeRow[]): Promise<OfferCode[]> {
  const used = await offerCodes.timesUsed(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => present(r, used));
}

async function requireOfferCode(ctx: AppContext, product: ProductRow, id: string): Promise<OfferCodeRow> {
  const row = await offerCodes.findLiveForProduct(ctx.db, product, id);
  if (!row) throw new TesseraError('OFFER_CODE_NOT_FOUND');
  return row;
}

export async function listOfferCodes(ctx: AppContext, sellerId: string, productRef: string): Promise<OfferCode[]> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return presentAll(ctx, await offerCodes.liveForProduct(ctx.db, product));
}

export async function getOfferCode(ctx: AppContext, sellerId: string, productRef: string, id: string): Promise<OfferCode> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return (await presentAll(ctx, [await requireOfferCode(ctx, product, id)]))[0]!;
}

/** A number with a fraction is cut to its whole part, as Rails casts it to an integer (10.5 → 10). */
function truncatedWholeNumber(value: unknown, name: string, max?: number): number {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text === 'string' && /^\d{1,13}\.\d*$/.test(text)) return wholeNumberParam(text.split('.')[0]!, name, max);
  if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return wholeNumberParam(Math.trunc(text), name, max);
  return wholeNumberParam(value, name, max);
}

/**
 * Which amount the parameters describe, as Gumroad reads them: `offer_type=percent` takes the
 * percentage from `amount_off` only (an `amount_cents` alone is a 0% code, refused); otherwise
 * a fixed amount from `amount_cents`, else `amount_off`. Fractions are truncated.
 */
function parseAmount(params: OfferCodeParams): Pick<OfferCodeRow, 'amount_cents' | 'percent_off'> {
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (!given(params.amount_off) && !given(params.amount_cents)) throw new TesseraError('OFFER_CODE_PARAMS_MISSING');
  const type = params.offer_type === undefined || params.offer_type === '' ? 'cents' : String(params.offer_type);
  if (type === 'percent') {
    const percent = given(params.amount_off) ? truncatedWholeNumber(params.amount_off, 'amount_off', 100) : 0;
    if (percent < 1) throw invalid('Please enter a discount amount between 1% and 100%.');
    return { amount_cents: null, percent_off: percent };
  }
  if (type !== 'cents') throw invalid("The 'offer_type' parameter must be 'cents' or 'percent'.");
  if (given(params.amount_cents)) return { amount_cents: truncatedWholeNumber(params.amount_cents, 'amount_cents'), percent_off: null };
  return { amount_cents: truncatedWholeNumber(params.amount_off, 'amount_off'), percent_off: null };
}

/** A code may not take a paid price of the products it applies to below the minimum (except to free). */
function assertKeepsMinimum(amount: Pick<OfferCodeRow, 'amount_cents' | 'percent_off'>, targets: ProductRow[]): void {
  for (const p of targets) {
    const after = discountedPrice(p.price, amount);
    if (after > 0 && after < minimumPrice(p.currency)) {
      throw invalid(`The price after discount for all of your products must be either ${formatMoney(0, p.currency)} or at least ${formatMoney(minimumPrice(p.currency), p.currency)}.`);
    }
  }
}

/** POST offer_codes; also the flows engine's "create a discount code". */
export async function createOfferCode(ctx: AppContext, sellerId: string, productRef: string, params: OfferCodeParams, actor: Actor): Promise<OfferCode> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const amount = parseAmount(params);
  const name = textParam(params.name ?? '', 'name', 100).trim();
  if (!name) throw invalid("Name can't be blank.");
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw invalid('Discount code can only contain numbers, letters, dashes and underscores.');
  const universal = isTrue(params.universal);
  const targets = universal ? (await products.listLive(ctx.db, sellerId)).filter((p) => p.currency === product.currency) : [product];
  assertKeepsMinimum(amount, targets);
  const row: OfferCodeRow = {
    id: newId(),
    external_id: newExternalId(),
    seller_id: sellerId,
    product_id: universal ? null : product.id,
    name,
    ...amount,
    currency: product.currency,
    max_purchase_count: optionalWholeNumberParam(params.max_purchase_count, 'max_purchase_count'),
    universal: universal ? 1 : 0,
    created_at: Date.now(),
    deleted_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (await offerCodes.nameTaken(trx, sellerId, name)) throw invalid('Discount code must be unique.');
    await offerCodes.insertOfferCode(trx, row);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'offer_code.created',
      target: { type: 'offer_code', id: row.external_id },
      metadata: { product_id: product.external_id, name, amount_cents: row.amount_cents, percent_off: row.percent_off, universal },
    });
  });
  return present(row, new Map());
}

/** PUT offer_codes/:id changes only max_purchase_count. */
export async function updateOfferCode(ctx: AppContext, sellerId: string, productRef: string, id: string, params: OfferCodeParams, actor: Actor): Promise<OfferCode> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const row = await requireOfferCode(ctx, product, id);
  if (params.max_purchase_count !== undefined) {
    const max = optionalWholeNumberParam(params.max_purchase_count, 'max_purchase_count');
    await ctx.db.transaction().execute(async (trx) => {
      await offerCodes.updateOfferCode(trx, row.id, { max_purchase_count: max });
      await recordAudit(trx, { actor, userId: sellerId, action: 'offer_code.updated', target: { type: 'offer_code', id }, metadata: { max_purchase_count: max } });
    });
    row.max_purchase_count = max;
  }
  return (await presentAll(ctx, [row]))[0]!;
}

export async function deleteOfferCode(ctx: AppContext, sellerId: string, productRef: string, id: string, actor: Actor): Promise<void> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const row = await requireOfferCode(ctx, product, id);
  await ctx.db.transaction().execute(async (trx) => {
    await offerCodes.updateOfferCode(trx, row.id, { deleted_at: Date.now() });
    await recordAudit(trx, { actor, userId: sellerId, action: 'offer_code.deleted', target: { type: 'offer_code', id } });
  });
}
