import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import type { LicenseRef } from './params.js';
import { licenseKeyHash } from './key.js';
import { namesLicenseProduct } from './product-match.js';
import * as licenses from './store.js';
import type { LicenseView } from './store.js';

/**
 * The license a seller's mutation names (enable, disable, decrement_uses_count, rotate), in the
 * contract's order: key, then ownership, then product, then revoked access. Another seller's
 * license answers exactly like an unknown one, and before the product check, so no 400 can
 * reveal another seller's product id.
 */
export async function requireOwnedLicense(ctx: AppContext, sellerId: string, ref: LicenseRef): Promise<LicenseView & { keyHash: string }> {
  if (ref.licenseKey === null) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  const keyHash = licenseKeyHash(ctx.keys, ref.licenseKey);
  const license = await licenses.viewByCurrentKey(ctx.db, keyHash);
  if (!license || license.seller_id !== sellerId) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  if (!namesLicenseProduct(ref, license)) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  if (license.access_revoked_at !== null) throw new TesseraError('LICENSE_ACCESS_REVOKED');
  return { ...license, keyHash };
}

/** The license as it stands now (after a change), for the answer. */
export async function reloadLicense(ctx: AppContext, id: string): Promise<LicenseView> {
  const license = await licenses.viewById(ctx.db, id);
  if (!license) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  return license;
}
