import { TesseraError, type ErrorCode } from '../../http/errors.js';
import type { LicenseRef } from '../params.js';
import { namesLicenseProduct } from '../product-match.js';
import type { CachedLicense } from './cache.js';

/**
 * Why a verification is refused. In the order verdict checks them (contract §4.2); each maps to its
 * answer once, in REFUSALS.
 */
export type Refusal =
  | 'not_found'
  | 'grace_key_expired'
  | 'product_id_required'
  | 'wrong_product'
  | 'access_revoked'
  | 'disabled'
  | 'seller_licenses_stopped';

/** A verification's outcome: accepted (by the current key, or a retired one in its grace period), or refused. */
export type Outcome = 'valid' | 'valid_grace_key' | Refusal;

interface RefusalAnswer {
  /** The error catalogue's entry (src/http/errors.ts): status and message. */
  code: ErrorCode;
  /** A message naming the license, where the catalogue's own is not the answer. */
  message?: (license: CachedLicense) => string;
  /** Whether the key found a license: its refusal then counts on that license's day (license_verification_days). */
  found: boolean;
}

/** Every refusal's answer, in one place. */
export const REFUSALS: Record<Refusal, RefusalAnswer> = {
  not_found: { code: 'LICENSE_NOT_FOUND', found: false }, // 404 That license does not exist for the provided product.
  grace_key_expired: { code: 'LICENSE_NOT_FOUND', found: false }, // 404, as an unknown key
  product_id_required: {
    code: 'LICENSE_PRODUCT_ID_REQUIRED', // 400
    message: ({ view }) =>
      `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${view.product_external_id}' in the request.`,
    found: true,
  },
  wrong_product: { code: 'LICENSE_NOT_FOUND', found: true }, // 404, as an unknown key
  access_revoked: { code: 'LICENSE_ACCESS_REVOKED', found: true }, // 404 Access to the purchase associated with this license has expired.
  disabled: { code: 'LICENSE_DISABLED', found: true }, // 404 This license key has been disabled.
  seller_licenses_stopped: { code: 'LICENSE_DISABLED', found: true }, // 404, as a disabled key (the instance owner stopped the seller's licenses)
};

/** The error a refused verification is answered with. */
export function refusalError(refusal: Refusal, license: CachedLicense | undefined): TesseraError {
  const answer = REFUSALS[refusal];
  return new TesseraError(answer.code, license && answer.message ? answer.message(license) : undefined);
}

export const isRefusal = (outcome: Outcome): outcome is Refusal => outcome !== 'valid' && outcome !== 'valid_grace_key';

/** Whether the key found a license (the verification then counts on that license's day). */
export const foundLicense = (outcome: Outcome): boolean => !isRefusal(outcome) || REFUSALS[outcome].found;

/**
 * The one verdict on a verification: what the key found (`license`, a view and the key hash it
 * was found by; undefined when no license has the key) against what the request names, at `now`.
 * A column of early returns, in the contract's order; the batch calls it inside its transaction.
 */
export function verdict(ref: LicenseRef, license: CachedLicense | undefined, now: number): Outcome {
  if (!license) return 'not_found';
  const { view } = license;
  const viaGraceKey = view.key_hash !== license.keyHash;
  if (viaGraceKey && !(view.grace_ends_at !== null && view.grace_ends_at > now)) return 'grace_key_expired';
  if (ref.productId === null && ref.productPermalink === null) return 'product_id_required';
  if (!namesLicenseProduct(ref, view)) return 'wrong_product';
  if (view.access_revoked_at !== null) return 'access_revoked';
  if (view.disabled_at !== null) return 'disabled';
  if (view.seller_licenses_stopped_at !== null) return 'seller_licenses_stopped';
  return viaGraceKey ? 'valid_grace_key' : 'valid';
}
