import type { AppContext } from '../context.js';
import { productUrl } from '../catalog/product-present.js';
import { displayedAmountOff } from '../catalog/pricing.js';
import { isoSeconds, timeAgoInWords } from '../util/dates.js';
import type { LicenseView } from './store.js';
import type { CachedLicense } from './verify/cache.js';

/** The License API's success body (contract §4.3), plus Tessera's grace-period fields. */
export interface LicenseAnswer {
  success: true;
  uses: number;
  purchase?: Record<string, unknown>;
  imported_customer?: Record<string, unknown>;
  /** Only when an old key verified during its grace period. */
  rotated?: true;
  grace_ends_at?: string;
  /** After a rotation of a disabled license: the new key is enabled (decision 10). */
  re_enabled?: true;
}

const NO_CARD = { visual: null, type: null, bin: null, expiry_month: null, expiry_year: null };

/**
 * The purchase as the license answer shows it: Gumroad's sale "ping" payload (one top-level key
 * per custom field) overridden by a few keys whose shape differs there (variants as a string,
 * custom fields as "name: value" lines). The key is shown as stored (decision 9: a caller may
 * type it in another case), decrypted once per cached view; `retiredKey` is the caller's key when
 * an old key verified in its grace period (the stored one is the new key, never shown then).
 */
function presentPurchase(ctx: AppContext, license: LicenseView, retiredKey?: string): Record<string, unknown> {
  const variants = Object.values(JSON.parse(license.variants) as Record<string, string>);
  const customFields = JSON.parse(license.custom_fields) as Record<string, string>;
  const isSubscription = license.subscription_duration !== null;
  const payload: Record<string, unknown> = {
    seller_id: license.seller_external_id,
    product_id: license.product_external_id,
    product_name: license.product_name,
    permalink: license.custom_permalink ?? license.unique_permalink,
    product_permalink: productUrl(ctx, license),
    short_product_id: license.unique_permalink,
    email: license.email,
    price: license.price,
    gumroad_fee: 0,
    currency: license.currency,
    quantity: license.quantity,
    discover_fee_charged: false,
    can_contact: true,
    referrer: 'direct',
    card: NO_CARD,
    order_number: license.order_number,
    sale_id: license.sale_id,
    sale_timestamp: isoSeconds(license.created_at),
    license_key: retiredKey ?? ctx.keys.decrypt(license.key_encrypted),
    is_gift_receiver_purchase: false,
    disputed: license.disputed === 1,
    dispute_won: license.dispute_won === 1,
    refunded: license.refunded === 1,
  };
  if (license.full_name !== null) payload.full_name = license.full_name;
  if (license.subscription_external_id !== null) payload.subscription_id = license.subscription_external_id;
  if (isSubscription) {
    payload.is_multiseat_license = license.quantity > 1;
    payload.recurrence = license.subscription_duration;
  }
  // A custom field never overwrites a payload key (a field named "email" cannot spoof the buyer).
  for (const [name, value] of Object.entries(customFields)) if (!(name in payload)) payload[name] = value;

  const overriding: Record<string, unknown> = {
    id: license.sale_id,
    created_at: isoSeconds(license.created_at),
    variants: variants.length > 0 ? `(${variants.join(', ')})` : '',
    custom_fields: Object.entries(customFields).map(([name, value]) => `${name}: ${value}`),
    refunded: license.refunded === 1,
  };
  if (license.offer_code_name !== null) {
    const code = { amount_cents: license.offer_code_amount_cents, percent_off: license.offer_code_percent_off, currency: license.offer_code_currency! };
    overriding.offer_code = { code: license.offer_code_name, displayed_amount_off: displayedAmountOff(code), name: license.offer_code_name };
  }
  // Always present (decision 11, as the seed's example shows): null for a one-off product.
  overriding.subscription_ended_at = isSubscription ? isoSeconds(license.subscription_ended_at) : null;
  overriding.subscription_cancelled_at = isSubscription ? isoSeconds(license.subscription_cancelled_at) : null;
  overriding.subscription_failed_at = isSubscription ? isoSeconds(license.subscription_failed_at) : null;
  overriding.chargebacked = license.chargebacked === 1;
  return Object.assign(payload, overriding);
}

/** A customer imported from a CSV: Gumroad's imported_customer object, without the key. */
function presentImportedCustomer(license: LicenseView): Record<string, unknown> {
  return {
    email: license.email,
    created_at: isoSeconds(license.created_at),
    timestamp: timeAgoInWords(license.created_at),
    link_name: license.product_name,
    product_name: license.product_name,
    price: null,
    is_imported_customer: true,
    purchase_email: license.email,
    id: license.sale_id,
    can_update: null,
  };
}

export function presentLicense(
  ctx: AppContext,
  license: LicenseView,
  answer: { uses: number; graceEndsAt?: number },
): LicenseAnswer {
  const body: LicenseAnswer = { success: true, uses: answer.uses };
  if (answer.graceEndsAt !== undefined) {
    body.rotated = true;
    body.grace_ends_at = isoSeconds(answer.graceEndsAt)!;
  }
  if (license.is_imported === 1) body.imported_customer = presentImportedCustomer(license);
  else body.purchase = presentPurchase(ctx, license);
  return body;
}

/**
 * presentLicense for the verify path, as JSON text: the purchase part is serialized once per
 * cached license and key, only `uses` (and a grace period) change between answers.
 */
export function licenseAnswerJson(ctx: AppContext, cached: CachedLicense, answer: { uses: number; licenseKey: string; graceEndsAt?: number }): string {
  const license = cached.view;
  let head = `{"success":true,"uses":${answer.uses}`;
  if (answer.graceEndsAt !== undefined) head += `,"rotated":true,"grace_ends_at":"${isoSeconds(answer.graceEndsAt)!}"`;
  if (license.is_imported === 1) return `${head},"imported_customer":${JSON.stringify(presentImportedCustomer(license))}}`;
  cached.purchaseJson ??= JSON.stringify(presentPurchase(ctx, license, answer.graceEndsAt !== undefined ? answer.licenseKey : undefined));
  return `${head},"purchase":${cached.purchaseJson}}`;
}
