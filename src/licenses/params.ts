import { TesseraError } from '../http/errors.js';

/** Rails' `blank?`: absent, null, false, empty or whitespace-only text, an empty list or object. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * A text parameter read from the raw request (before any schema coercion): blank is absent, and
 * anything else that is not text (a number, a list from `?a=1&a=2`, an object, a file) is a 400
 * naming it, as upstream Gumroad answers.
 */
export function textParam(params: Record<string, unknown>, name: string): string | null {
  const value = params[name];
  // `license_key[]=x` (a Rails list) may arrive under its bracketed name: still not text.
  if (value === undefined && params[`${name}[]`] !== undefined) throw new TesseraError('LICENSE_PARAMETER_INVALID', `The '${name}' parameter must be a string.`);
  if (isBlank(value)) return null;
  if (typeof value !== 'string') throw new TesseraError('LICENSE_PARAMETER_INVALID', `The '${name}' parameter must be a string.`);
  return value;
}

/** What names the license and its product in a request (contract §4.1). */
export interface LicenseRef {
  licenseKey: string | null;
  productId: string | null;
  /** Unique or custom permalink, compared case-insensitively. */
  productPermalink: string | null;
}

/** enable / disable / decrement_uses_count / rotate: no legacy aliases. */
export function licenseRef(params: Record<string, unknown>): LicenseRef {
  return {
    licenseKey: textParam(params, 'license_key'),
    productId: textParam(params, 'product_id'),
    productPermalink: textParam(params, 'product_permalink'),
  };
}

const NO = new Set(['false', '0', 'no', 'off']);

/** verify: the legacy `id` and `link_id` name the permalink too (precedence id > link_id > product_permalink). */
export function verifyRef(params: Record<string, unknown>): LicenseRef & { incrementUses: boolean } {
  const ref = licenseRef(params);
  const id = textParam(params, 'id');
  const linkId = textParam(params, 'link_id');
  const increment = params.increment_uses_count;
  return {
    ...ref,
    productPermalink: id ?? linkId ?? ref.productPermalink,
    incrementUses: !(increment === false || (typeof increment === 'string' && NO.has(increment.trim().toLowerCase()))),
  };
}

export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** rotate's optional `grace_period`: whole seconds, 0 to 7 days (absent or blank = none). */
export function gracePeriodParam(params: Record<string, unknown>): number {
  const value = params.grace_period;
  if (isBlank(value)) return 0;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,7}$/.test(text) || Number(text) > MAX_GRACE_SECONDS) {
    throw new TesseraError('LICENSE_PARAMETER_INVALID', `The 'grace_period' parameter must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (7 days).`);
  }
  return Number(text);
}
