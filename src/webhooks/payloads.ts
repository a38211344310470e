import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { productUrl } from '../catalog/product-present.js';
import type { PurchaseRow, SubscriptionRow } from '../sales/tables.js';
import { isoSeconds } from '../util/dates.js';
import type { Payload } from './outbox.js';
import * as reads from './payload-store.js';

const NO_CARD = { visual: null, type: null, bin: null, expiry_month: null, expiry_year: null };

async function licenseKeyOf(db: Executor, ctx: AppContext, purchaseId: string): Promise<string | null> {
  const encrypted = await reads.licenseKeyEncrypted(db, purchaseId);
  return encrypted !== undefined ? ctx.keys.decrypt(encrypted) : null;
}

/**
 * Gumroad's sale "ping" payload for `sale`, `refund`, `dispute` and `dispute_won` (contract §3.8,
 * §4.3 "payload part"): flat keys, `card` and `variants` as nested objects, `offer_code` as the
 * code, one top-level key per custom field (never replacing a payload key) plus `custom_fields`.
 */
export async function salePayload(db: Executor, ctx: AppContext, purchase: PurchaseRow, resourceName: string): Promise<Payload> {
  const product = await reads.productById(db, purchase.product_id);
  const sellerExternalId = await reads.userExternalId(db, purchase.seller_id);
  const subscription = purchase.subscription_id ? await reads.subscriptionById(db, purchase.subscription_id) : undefined;
  const code = purchase.offer_code_id ? await reads.offerCodeName(db, purchase.offer_code_id) : undefined;
  const licenseKey = await licenseKeyOf(db, ctx, purchase.id);
  const variants = JSON.parse(purchase.variants) as Record<string, string>;
  const customFields = JSON.parse(purchase.custom_fields) as Record<string, string>;

  const payload: Payload = {
    seller_id: sellerExternalId,
    product_id: product.external_id,
    product_name: product.name,
    permalink: product.custom_permalink ?? product.unique_permalink,
    product_permalink: productUrl(ctx, product),
    short_product_id: product.unique_permalink,
    email: purchase.email,
    price: purchase.price,
    gumroad_fee: 0,
    currency: purchase.currency.toLowerCase(),
    quantity: purchase.quantity,
    discover_fee_charged: false,
    can_contact: true,
    referrer: 'direct',
    card: NO_CARD,
    order_number: purchase.order_number,
    sale_id: purchase.external_id,
    sale_timestamp: isoSeconds(purchase.created_at),
  };
  if (purchase.full_name) payload.full_name = purchase.full_name;
  if (subscription) payload.subscription_id = subscription.external_id;
  if (Object.keys(variants).length > 0) payload.variants = variants;
  if (code !== undefined) payload.offer_code = code;
  if (subscription && subscription.original_purchase_id !== purchase.id) payload.is_recurring_charge = true;
  for (const [name, value] of Object.entries(customFields)) if (!(name in payload)) payload[name] = value;
  if (Object.keys(customFields).length > 0) payload.custom_fields = customFields;
  if (licenseKey) payload.license_key = licenseKey;
  if (licenseKey && subscription) payload.is_multiseat_license = purchase.quantity > 1;
  if (subscription) payload.recurrence = subscription.recurrence;
  payload.is_gift_receiver_purchase = false;
  payload.refunded = purchase.refunded === 1;
  payload.resource_name = resourceName;
  payload.disputed = purchase.disputed === 1 || purchase.chargebacked === 1;
  payload.dispute_won = purchase.dispute_won === 1;
  return payload;
}

/**
 * Gumroad's subscription payload for `cancellation`, `subscription_updated`, `subscription_ended`
 * and `subscription_restarted`, with the event's own keys (`extra`) merged in, then the
 * cancellation's `cancelled*` keys or the end's `ended_at` / `ended_reason`.
 */
export async function subscriptionPayload(
  db: Executor,
  ctx: AppContext,
  subscription: SubscriptionRow,
  resourceName: string,
  extra: Payload = {},
): Promise<Payload> {
  const product = await reads.productById(db, subscription.product_id);
  const original = await reads.purchaseById(db, subscription.original_purchase_id);
  const charges = await reads.chargeExternalIds(db, subscription.id);
  const customFields = JSON.parse(original.custom_fields) as Record<string, string>;
  const licenseKey = await licenseKeyOf(db, ctx, original.id);
  const payload: Payload = {
    subscription_id: subscription.external_id,
    product_id: product.external_id,
    product_name: product.name,
    user_id: null,
    user_email: original.email,
    purchase_ids: charges,
    created_at: isoSeconds(subscription.created_at),
    charge_occurrence_count: null,
    recurrence: subscription.recurrence,
    free_trial_ends_at: null,
    resource_name: resourceName,
    ...extra,
  };
  if (Object.keys(customFields).length > 0) payload.custom_fields = customFields;
  if (licenseKey) payload.license_key = licenseKey;
  if (resourceName === 'cancellation') {
    payload.cancelled = true;
    if (original.subscription_cancelled_at !== null) {
      payload.cancelled_at = isoSeconds(original.subscription_cancelled_at);
      const by = subscription.cancelled_by ?? 'seller';
      payload[`cancelled_by_${by === 'buyer' || by === 'admin' ? by : 'seller'}`] = true;
    } else if (original.subscription_failed_at !== null) {
      payload.cancelled_at = isoSeconds(original.subscription_failed_at);
      payload.cancelled_due_to_payment_failures = true;
    }
  }
  if (resourceName === 'subscription_ended') {
    payload.ended_at = isoSeconds(original.subscription_ended_at);
    payload.ended_reason = subscription.ended_reason;
  }
  return payload;
}
