import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { formatMoney } from '../catalog/money.js';
import { textParam, wholeNumberParam } from '../catalog/params.js';
import * as products from '../catalog/product-store.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { decodePageKey, encodePageKey } from './page-key.js';
import { licenseKeyHash } from '../licenses/key.js';
import * as licenses from '../licenses/store.js';
import * as purchases from './purchase-store.js';
import { presentSales, type Sale } from './sale-present.js';
import type { PurchaseRow } from './tables.js';

export const SALES_PER_PAGE = 10;

export interface SalesQuery {
  after?: unknown;
  before?: unknown;
  product_id?: unknown;
  email?: unknown;
  order_id?: unknown;
  license_key?: unknown;
  page_key?: unknown;
  page?: unknown;
}

const badParam = (message: string) => new TesseraError('SALES_PARAM_INVALID', message);
const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/** `YYYY-MM-DD` as the UTC midnight that starts it; else the contract's E400. */
function parseDate(value: unknown, field: string): number {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim()) : null;
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  const date = new Date(ms);
  if (!match || Number.isNaN(ms) || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) {
    throw badParam(`Invalid date format provided in field '${field}'. Dates must be in the format YYYY-MM-DD.`);
  }
  return ms;
}

/** GET /v2/sales: one page of 10, newest first, with the key of the next page when there is one. */
export async function listSales(ctx: AppContext, sellerId: string, q: SalesQuery): Promise<{ sales: Sale[]; nextPageKey: string | null }> {
  const filter: purchases.SaleFilter = { sellerId, limit: SALES_PER_PAGE + 1 };
  if (given(q.after)) filter.createdFrom = parseDate(q.after, 'after');
  if (given(q.before)) filter.createdBefore = parseDate(q.before, 'before');
  if (given(q.product_id)) {
    const product = typeof q.product_id === 'string' ? await products.findOwned(ctx.db, sellerId, q.product_id) : undefined;
    if (!product) throw badParam('Invalid product ID.');
    filter.productId = product.id;
  }
  if (given(q.email)) filter.email = textParam(q.email, 'email', 255).trim();
  if (given(q.license_key)) {
    // The buyer of a key (decision 9: in any case, surrounding spaces ignored); none: no sales.
    if (typeof q.license_key !== 'string') throw badParam("The 'license_key' parameter must be a string.");
    const license = await licenses.viewByCurrentKey(ctx.db, licenseKeyHash(ctx.keys, q.license_key));
    filter.purchaseIds = license && license.seller_id === sellerId ? [license.purchase_id] : [];
  }
  if (given(q.order_id)) {
    if (typeof q.order_id !== 'string' || !/^\d{1,15}$/.test(q.order_id.trim())) throw badParam('Invalid order ID.');
    filter.orderNumber = Number(q.order_id.trim());
  }
  if (given(q.page_key)) filter.after = decodePageKey(q.page_key);
  else if (given(q.page)) {
    const page = typeof q.page === 'string' && /^-?\d{1,9}$/.test(q.page.trim()) ? Number(q.page) : NaN;
    if (!(page >= 1)) throw badParam('Invalid page number. Page numbers start at 1.');
    filter.offset = (page - 1) * SALES_PER_PAGE;
  }
  const rows = await purchases.listSales(ctx.db, filter);
  const page = rows.slice(0, SALES_PER_PAGE);
  const last = page[page.length - 1];
  const nextPageKey = rows.length > SALES_PER_PAGE && last ? encodePageKey({ createdAt: last.created_at, orderNumber: last.order_number }) : null;
  return { sales: await presentSales(ctx.db, ctx, page), nextPageKey };
}

async function requireSale(ctx: AppContext, sellerId: string, id: string): Promise<PurchaseRow> {
  const row = await purchases.findOwned(ctx.db, sellerId, id);
  if (!row) throw new TesseraError('SALE_NOT_FOUND');
  return row;
}

async function presentOne(ctx: AppContext, row: PurchaseRow): Promise<Sale> {
  return (await presentSales(ctx.db, ctx, [row]))[0]!;
}

export async function getSale(ctx: AppContext, sellerId: string, id: string): Promise<Sale> {
  return presentOne(ctx, await requireSale(ctx, sellerId, id));
}

export async function markSaleAsShipped(ctx: AppContext, sellerId: string, id: string, trackingUrl: unknown, actor: Actor): Promise<Sale> {
  const row = await requireSale(ctx, sellerId, id);
  const tracking = given(trackingUrl) ? textParam(trackingUrl, 'tracking_url', 2000).trim() : row.tracking_url;
  const changes = { shipped: 1, tracking_url: tracking, updated_at: Date.now() };
  await ctx.db.transaction().execute(async (trx) => {
    await purchases.updatePurchase(trx, row.id, changes);
    await recordAudit(trx, { actor, userId: sellerId, action: 'sale.shipped', target: { type: 'sale', id }, metadata: { tracking_url: tracking } });
  });
  return presentOne(ctx, { ...row, ...changes });
}

/**
 * Refunds all of what is left, or `amount_cents` of it (repeatable); the sale counts as refunded
 * once nothing is left. Serialised per sale, so two refunds never exceed the price.
 */
export async function refundSale(ctx: AppContext, sellerId: string, id: string, amountCents: unknown, actor: Actor): Promise<Sale> {
  const requested = given(amountCents) ? wholeNumberParam(amountCents, 'amount_cents') : null;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const found = await purchases.findOwned(trx, sellerId, id);
    if (!found) throw new TesseraError('SALE_NOT_FOUND');
    await lockRow(trx, ctx.dialect, 'purchases', found.id);
    const row = (await purchases.findOwned(trx, sellerId, id))!;
    if (row.refunded === 1) throw new TesseraError('SALE_ALREADY_REFUNDED');
    const left = row.price - row.refunded_amount_cents;
    const amount = requested ?? left;
    if (amount > left) throw new TesseraError('CATALOG_INVALID', 'Refund amount cannot be greater than the purchase price.');
    if (requested !== null && amount <= 0) throw new TesseraError('CATALOG_INVALID', 'The sale was unable to be modified.');
    const changes = {
      refunded_amount_cents: row.refunded_amount_cents + amount,
      refunded: row.refunded_amount_cents + amount >= row.price ? 1 : 0,
      updated_at: Date.now(),
    };
    await purchases.updatePurchase(trx, row.id, changes);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'sale.refunded',
      target: { type: 'sale', id },
      metadata: { amount_cents: amount, amount: formatMoney(amount, row.currency), partial: changes.refunded === 0 },
    });
    await ctx.saleEvents.announce(trx, { ...row, ...changes }, 'refund');
    return { ...row, ...changes };
  });
  return presentOne(ctx, updated);
}
