import type { Product } from '../../catalog/product-present.js';
import { decimalAmount, isCurrency, smallestUnits } from '../../catalog/money.js';
import { TesseraError } from '../../http/errors.js';
import { checked, text, type FormBody } from '../form.js';

/**
 * The product form of the dashboard: what it shows (strings, as typed) and the API parameters it
 * sends to the catalog service (src/catalog/product-service.ts). Amounts are typed in the
 * currency's unit (9.99) and sent in cents, as `price` and `suggested_price_cents`; every other
 * field carries the API parameter's own name and value.
 */
export const PRODUCT_TEXT_FIELDS = [
  'name',
  'description',
  'price',
  'currency',
  'custom_permalink',
  'subscription_duration',
  'suggested_price',
  'activation_limit',
  'license_file_ttl',
  'max_purchase_count',
  'tags',
  'custom_summary',
  'custom_receipt',
  'native_type',
  'taxonomy_id',
] as const;
export const PRODUCT_CHECKBOXES = ['is_licensed', 'customizable_price', 'license_file_email', 'require_shipping'] as const;

type Name = (typeof PRODUCT_TEXT_FIELDS)[number] | (typeof PRODUCT_CHECKBOXES)[number];
/** The form's values as strings; a checkbox is 'true' or ''. */
export type ProductFormValues = Record<Name, string>;

export const DURATION_CHOICES = [
  { value: '', label: 'One-time purchase' },
  { value: 'monthly', label: 'Subscription, monthly' },
  { value: 'quarterly', label: 'Subscription, every 3 months' },
  { value: 'biannually', label: 'Subscription, every 6 months' },
  { value: 'yearly', label: 'Subscription, yearly' },
  { value: 'every_two_years', label: 'Subscription, every 2 years' },
];

export const NATIVE_TYPE_CHOICES = ['digital', 'course', 'ebook', 'newsletter', 'membership', 'podcast', 'audiobook', 'physical', 'bundle', 'commission', 'call', 'coffee'];

const DAY = 86_400;
const TTL_CHOICES = [3600, DAY, 7 * DAY, 30 * DAY, 90 * DAY, 365 * DAY];

export function durationWords(seconds: number): string {
  if (seconds % DAY === 0) return seconds === DAY ? '1 day' : `${seconds / DAY} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  return `${seconds} seconds`;
}

/** The license file lifetimes to pick from; a lifetime set through the API stays among them. */
export function ttlChoices(serverDefault: number, current: string): Array<{ value: string; label: string }> {
  const values = [...TTL_CHOICES];
  if (/^\d+$/.test(current) && !values.includes(Number(current))) values.push(Number(current));
  return [{ value: '', label: `Server default (${durationWords(serverDefault)})` }, ...values.sort((a, b) => a - b).map((s) => ({ value: String(s), label: durationWords(s) }))];
}

export const EMPTY_PRODUCT_FORM: ProductFormValues = {
  ...(Object.fromEntries(PRODUCT_TEXT_FIELDS.map((n) => [n, ''])) as Record<(typeof PRODUCT_TEXT_FIELDS)[number], string>),
  ...(Object.fromEntries(PRODUCT_CHECKBOXES.map((n) => [n, ''])) as Record<(typeof PRODUCT_CHECKBOXES)[number], string>),
  currency: 'usd',
  native_type: 'digital',
  is_licensed: 'true',
};

const flag = (on: unknown) => (on === true ? 'true' : '');
const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** A product as its form shows it. */
export function productFormValues(product: Product): ProductFormValues {
  const currency = String(product.currency);
  return {
    name: product.name,
    description: str(product.description),
    price: decimalAmount(product.price, currency),
    currency,
    custom_permalink: str(product.custom_permalink),
    subscription_duration: str(product.subscription_duration),
    suggested_price: typeof product.suggested_price_cents === 'number' ? decimalAmount(product.suggested_price_cents, currency) : '',
    activation_limit: str(product.activation_limit),
    license_file_ttl: str(product.license_file_ttl),
    max_purchase_count: str(product.max_purchase_count),
    tags: Array.isArray(product.tags) ? product.tags.join(', ') : '',
    custom_summary: str(product.custom_summary),
    custom_receipt: str(product.custom_receipt),
    native_type: str(product.native_type) || 'digital',
    taxonomy_id: str(product.taxonomy_id),
    is_licensed: flag(product.is_licensed),
    customizable_price: flag(product.customizable_price),
    license_file_email: flag(product.license_file_email),
    require_shipping: flag(product.require_shipping),
  };
}

/**
 * What the seller sent, as strings (long texts bounded so that a re-rendered form stays small).
 * Editing (`current`), a field the body does not carry keeps its value, so that a partial POST
 * changes only what it names; a checkbox is off when absent from a whole form (one with `name`).
 */
export function readProductForm(form: FormBody, current?: ProductFormValues): ProductFormValues {
  const values = {} as ProductFormValues;
  const sent = (name: string) => Object.hasOwn(form, name);
  for (const name of PRODUCT_TEXT_FIELDS) {
    if (current && !sent(name)) {
      values[name] = current[name];
      continue;
    }
    const raw = form[name];
    // The description keeps its own spacing; everything else is trimmed.
    const value = name === 'description' ? (typeof raw === 'string' ? raw : '') : text(form, name);
    values[name] = value.slice(0, name === 'description' ? 100_000 : 10_000);
  }
  for (const name of PRODUCT_CHECKBOXES) values[name] = current && !sent(name) && !sent('name') ? current[name] : checked(form, name) ? 'true' : '';
  return values;
}

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

function amount(value: string, currency: string, label: string): number {
  const cents = smallestUnits(value, isCurrency(currency) ? currency : 'usd');
  if (cents === null) throw invalid(`Enter the ${label} as an amount such as ${currency === 'jpy' || currency === 'krw' ? '1000' : '9.99'}, or 0 for free.`);
  return cents;
}

/**
 * The API parameters of the form: every field for a new product, only the changed ones for an
 * existing product (`current`), so that the audit names what changed. Amounts become cents.
 */
export function productParamsOf(values: ProductFormValues, current?: ProductFormValues): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const changed = (name: Name) => !current || values[name] !== current[name];
  const currencyChanged = changed('currency');
  for (const name of [...PRODUCT_TEXT_FIELDS, ...PRODUCT_CHECKBOXES]) {
    if (name === 'price' || name === 'suggested_price') continue;
    if (changed(name)) params[name] = PRODUCT_CHECKBOXES.includes(name as never) ? values[name] === 'true' : values[name];
  }
  const currency = values.currency.toLowerCase();
  if (changed('price') || currencyChanged) params.price = values.price === '' ? 0 : amount(values.price, currency, 'price');
  if (changed('suggested_price') || currencyChanged) params.suggested_price_cents = values.suggested_price === '' ? '' : amount(values.suggested_price, currency, 'suggested price');
  // A new product's blank optional settings are simply not sent (the service's defaults).
  if (!current) for (const [name, value] of Object.entries(params)) if (value === '') delete params[name];
  return params;
}
