import { TesseraError } from '../http/errors.js';
import type { LicenseRef } from './params.js';
import type { LicenseView } from './store.js';

/**
 * Whether the request's product identifier names the license's product (contract §4.2, decision 5):
 * `product_id` (external id) first, else the permalink, unique or custom, in any case. With no
 * identifier at all the answer is a 400 that names the product id to send.
 */
export function namesLicenseProduct(ref: LicenseRef, license: Pick<LicenseView, 'product_external_id' | 'unique_permalink' | 'custom_permalink'>): boolean {
  if (ref.productId !== null) return ref.productId === license.product_external_id;
  if (ref.productPermalink === null) {
    throw new TesseraError(
      'LICENSE_PRODUCT_ID_REQUIRED',
      `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${license.product_external_id}' in the request.`,
    );
  }
  const permalink = ref.productPermalink.toLowerCase();
  return permalink === license.unique_permalink.toLowerCase() || permalink === license.custom_permalink?.toLowerCase();
}
