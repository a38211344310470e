import type { AppContext } from '../context.js';
import { isTrue, textParam } from '../catalog/params.js';
import { requireProduct } from '../catalog/product-service.js';
import * as products from '../catalog/product-store.js';
import { TesseraError } from '../http/errors.js';
import { licensesForPurchases } from '../licenses/lookup.js';
import { isoSeconds } from '../util/dates.js';
import { decodePageKey, encodePageKey } from './page-key.js';
import * as purchases from './purchase-store.js';
import * as subscriptions from './subscription-store.js';
import type { SubscriberRow } from './subscription-store.js';

export const SUBSCRIBERS_PER_PAGE = 100;

export interface SubscribersQuery {
  email?: unknown;
  paginated?: unknown;
  page_key?: unknown;
}

/** The subscriber object (contract §3.7): nulls are kept. */
export type Subscriber = Record<string, unknown> & { id: string };

function status(row: SubscriberRow, now: number): string {
  if (row.subscription_cancelled_at !== null) return row.subscription_cancelled_at > now ? 'pending_cancellation' : 'cancelled';
  if (row.subscription_failed_at !== null) return 'failed_payment';
  if (row.subscription_ended_at !== null) return 'fixed_subscription_period_ended';
  return 'alive';
}

async function present(ctx: AppContext, rows: SubscriberRow[]): Promise<Subscriber[]> {
  const productById = new Map((await products.findByIds(ctx.db, [...new Set(rows.map((r) => r.product_id))])).map((p) => [p.id, p]));
  const charges = await purchases.purchasesOfSubscriptions(ctx.db, rows.map((r) => r.id));
  const licenses = await licensesForPurchases(ctx.db, ctx, rows.map((r) => r.original_purchase_id));
  const now = Date.now();
  return rows.map((row) => {
    const subscriber: Subscriber = {
      id: row.external_id,
      email: row.email,
      product_id: productById.get(row.product_id)!.external_id,
      product_name: productById.get(row.product_id)!.name,
      user_id: null,
      user_email: null,
      purchase_ids: charges.filter((c) => c.subscription_id === row.id).map((c) => c.external_id),
      created_at: isoSeconds(row.created_at),
      user_requested_cancellation_at: isoSeconds(row.user_requested_cancellation_at),
      charge_occurrence_count: null,
      recurrence: row.recurrence,
      cancelled_at: isoSeconds(row.subscription_cancelled_at),
      ended_at: isoSeconds(row.subscription_ended_at),
      failed_at: isoSeconds(row.subscription_failed_at),
      free_trial_ends_at: null,
      status: status(row, now),
    };
    const license = licenses.get(row.original_purchase_id);
    if (license) subscriber.license_key = license.license_key;
    return subscriber;
  });
}

/** A product's active subscribers; all at once, or 100 a page when `paginated` is "true" or "1". */
export async function listSubscribers(ctx: AppContext, sellerId: string, productRef: string, q: SubscribersQuery) {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  // A page_key paginates whether or not `paginated` is sent (a client following next_page_url
  // may drop it); a bad one is always E400.
  const hasPageKey = q.page_key !== undefined && q.page_key !== '';
  const paginated = isTrue(q.paginated) || q.paginated === '1' || hasPageKey;
  const after = hasPageKey ? decodePageKey(q.page_key) : undefined;
  const email = q.email === undefined || q.email === '' ? undefined : textParam(q.email, 'email', 255).trim();
  const rows = await subscriptions.listActive(ctx.db, product.id, Date.now(), {
    email,
    after,
    limit: paginated ? SUBSCRIBERS_PER_PAGE + 1 : undefined,
  });
  const page = paginated ? rows.slice(0, SUBSCRIBERS_PER_PAGE) : rows;
  const last = page[page.length - 1];
  const nextPageKey = paginated && rows.length > SUBSCRIBERS_PER_PAGE && last ? encodePageKey({ createdAt: last.created_at, orderNumber: last.order_number }) : null;
  return { subscribers: await present(ctx, page), nextPageKey };
}

export async function getSubscriber(ctx: AppContext, sellerId: string, id: string): Promise<Subscriber> {
  const row = await subscriptions.findOwned(ctx.db, sellerId, id);
  if (!row) throw new TesseraError('SUBSCRIBER_NOT_FOUND');
  return (await present(ctx, [row]))[0]!;
}
