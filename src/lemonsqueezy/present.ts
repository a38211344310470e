import type { AppContext } from '../context.js';
import { licenseExpiresAt, licenseState, type Seats } from '../licenses/activation-service.js';
import { encryptedKeyOf } from '../licenses/activation-store.js';
import type { ActivationRow } from '../licenses/activation-tables.js';
import type { LicenseView } from '../licenses/store.js';
import { isoMicros } from '../util/dates.js';

/** `license_key` (contract §3.1). `key` is the stored key, whatever case or spaces the client sent. */
export async function presentLicenseKey(ctx: AppContext, license: LicenseView, seats: Seats) {
  return {
    id: license.license_id,
    status: licenseState(license, seats.usage),
    key: ctx.keys.decrypt(await encryptedKeyOf(ctx.db, license.id)),
    activation_limit: seats.limit,
    activation_usage: seats.usage,
    created_at: isoMicros(license.created_at),
    expires_at: isoMicros(licenseExpiresAt(license)),
  };
}

/** `instance` (contract §3.2). */
export function presentInstance(instance: ActivationRow) {
  return { id: instance.id, name: instance.name, created_at: isoMicros(instance.created_at) };
}

/** The variant names of the sale, "Default" when it has none (Lemon Squeezy's name for no variant). */
function variantName(license: LicenseView): string {
  const names = Object.values(JSON.parse(license.variants) as Record<string, string>);
  return names.length > 0 ? names.join(', ') : 'Default';
}

/** `meta` (contract §3.3): Tessera's ids, as strings. */
export function presentMeta(license: LicenseView) {
  return {
    store_id: license.seller_external_id,
    order_id: license.sale_id,
    order_item_id: license.sale_id,
    product_id: license.product_external_id,
    product_name: license.product_name,
    variant_id: null,
    variant_name: variantName(license),
    customer_id: null,
    customer_name: license.full_name ?? '',
    customer_email: license.email,
  };
}

/** license_key and meta together: every answer about a known license carries both. */
export async function licenseParts(ctx: AppContext, license: LicenseView, seats: Seats) {
  return { license_key: await presentLicenseKey(ctx, license, seats), meta: presentMeta(license) };
}
