import { TesseraError } from '../http/errors.js';
import { formatMoney, isCurrency, minimumPrice } from './money.js';
import { booleanParam, optionalWholeNumberParam, textParam, wholeNumberParam } from './params.js';
import type { ProductRow, SubscriptionDuration } from './tables.js';

const DURATIONS: readonly SubscriptionDuration[] = ['monthly', 'quarterly', 'biannually', 'yearly', 'every_two_years'];
const PERMALINK = /^[a-zA-Z0-9_-]{1,128}$/;

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

/** Product settings a client may send (decision 7); every value arrives as a string or JSON scalar. */
export interface ProductParams {
  name?: unknown;
  price?: unknown;
  description?: unknown;
  custom_permalink?: unknown;
  currency?: unknown;
  max_purchase_count?: unknown;
  subscription_duration?: unknown;
  customizable_price?: unknown;
  require_shipping?: unknown;
  tags?: unknown;
  is_licensed?: unknown;
  price_currency_type?: unknown;
  suggested_price_cents?: unknown;
  custom_summary?: unknown;
  custom_receipt?: unknown;
  native_type?: unknown;
  taxonomy_id?: unknown;
  /** The cover image (cover.ts): a file or base64; empty removes it. */
  thumbnail?: unknown;
}

/** Gumroad's native product types (Link::NATIVE_TYPES). */
const NATIVE_TYPES = ['digital', 'course', 'ebook', 'newsletter', 'membership', 'podcast', 'audiobook', 'physical', 'bundle', 'commission', 'call', 'coffee'];

/**
 * Gumroad product parameters Tessera cannot honour (files, rentals, previews and cover galleries,
 * shipping): a FAIL naming the parameter, never a success that changed nothing (decision 13).
 * One cover image is honoured: `thumbnail` (cover.ts).
 */
const UNSUPPORTED = ['file', 'files', 'preview', 'preview_url', 'covers', 'rental_price_cents', 'purchase_type', 'shipping_destinations', 'is_adult', 'is_in_preorder_state'];

export type ProductChanges = Partial<Pick<
  ProductRow,
  | 'name'
  | 'price'
  | 'description'
  | 'custom_permalink'
  | 'currency'
  | 'max_purchase_count'
  | 'subscription_duration'
  | 'customizable_price'
  | 'require_shipping'
  | 'tags'
  | 'is_licensed'
  | 'suggested_price_cents'
  | 'custom_summary'
  | 'custom_receipt'
  | 'native_type'
  | 'taxonomy_id'
>>;

function parseTags(value: unknown): string {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!list) throw invalid("The 'tags' parameter must be a list of strings.");
  const tags = [...new Set(list.map((t) => textParam(t, 'tags', 100).trim().toLowerCase()).filter(Boolean))];
  if (tags.length > 20) throw invalid('A product can have at most 20 tags.');
  return JSON.stringify(tags);
}

/**
 * Reads the settings present in `params` (absent ones stay unchanged); a bad value is a FAIL
 * with a sentence naming the parameter. Unknown parameters are ignored.
 */
export function parseProductChanges(params: ProductParams): ProductChanges {
  const changes: ProductChanges = {};
  const has = (key: keyof ProductParams) => params[key] !== undefined;
  const raw = params as Record<string, unknown>;
  for (const name of UNSUPPORTED) {
    if (raw[name] !== undefined) throw invalid(`The '${name}' parameter is not supported by Tessera: nothing was changed.`);
  }
  if (has('currency') && has('price_currency_type') && String(params.currency).trim().toLowerCase() !== String(params.price_currency_type).trim().toLowerCase()) {
    throw invalid("The 'currency' and 'price_currency_type' parameters name different currencies.");
  }
  // Upstream's name for the currency.
  if (!has('currency') && has('price_currency_type')) params = { ...params, currency: params.price_currency_type };
  if (has('name')) {
    const name = textParam(params.name, 'name', 255).trim();
    if (!name) throw invalid("Name can't be blank.");
    changes.name = name;
  }
  if (has('price')) changes.price = wholeNumberParam(params.price, 'price');
  if (has('description')) changes.description = textParam(params.description, 'description', 100_000);
  if (has('custom_permalink')) {
    const permalink = textParam(params.custom_permalink, 'custom_permalink', 128).trim();
    if (permalink && !PERMALINK.test(permalink)) throw invalid('Custom permalink may only contain letters, numbers, dashes and underscores.');
    changes.custom_permalink = permalink || null;
  }
  if (has('currency')) {
    const currency = textParam(params.currency, 'currency', 10).trim().toLowerCase();
    if (!isCurrency(currency)) throw invalid(`The currency '${currency}' is not supported.`);
    changes.currency = currency;
  }
  if (has('max_purchase_count')) changes.max_purchase_count = optionalWholeNumberParam(params.max_purchase_count, 'max_purchase_count');
  if (has('subscription_duration')) {
    const duration = textParam(params.subscription_duration, 'subscription_duration', 40).trim();
    if (duration && !DURATIONS.includes(duration as SubscriptionDuration)) {
      throw invalid(`The 'subscription_duration' parameter must be one of ${DURATIONS.join(', ')}.`);
    }
    changes.subscription_duration = (duration || null) as SubscriptionDuration | null;
  }
  if (has('customizable_price')) changes.customizable_price = booleanParam(params.customizable_price, 'customizable_price') ? 1 : 0;
  if (has('require_shipping')) changes.require_shipping = booleanParam(params.require_shipping, 'require_shipping') ? 1 : 0;
  if (has('is_licensed')) changes.is_licensed = booleanParam(params.is_licensed, 'is_licensed') ? 1 : 0;
  if (has('tags')) changes.tags = parseTags(params.tags);
  if (has('suggested_price_cents')) changes.suggested_price_cents = optionalWholeNumberParam(params.suggested_price_cents, 'suggested_price_cents');
  if (has('custom_summary')) changes.custom_summary = textParam(params.custom_summary, 'custom_summary', 10_000) || null;
  if (has('custom_receipt')) changes.custom_receipt = textParam(params.custom_receipt, 'custom_receipt', 10_000) || null;
  if (has('native_type')) {
    const type = textParam(params.native_type, 'native_type', 40).trim().toLowerCase();
    if (!NATIVE_TYPES.includes(type)) throw invalid(`The 'native_type' parameter must be one of ${NATIVE_TYPES.join(', ')}.`);
    changes.native_type = type;
  }
  if (has('taxonomy_id')) {
    const taxonomy = textParam(params.taxonomy_id, 'taxonomy_id', 40).trim();
    if (taxonomy && !/^\d{1,15}$/.test(taxonomy)) throw invalid("The 'taxonomy_id' parameter must be a number.");
    changes.taxonomy_id = taxonomy || null;
  }
  return changes;
}

/** A paid price must reach the currency's minimum ($0.99); free (0) is allowed. */
export function assertSellablePrice(price: number, currency: string): void {
  if (price !== 0 && price < minimumPrice(currency)) {
    throw invalid(`Sorry, a product must be at least ${formatMoney(minimumPrice(currency), currency)}.`);
  }
}
