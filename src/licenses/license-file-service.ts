import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { INSTANCE_ID, licenseByKey, licenseState, seatsOf } from './activation-service.js';
import { findActivation, settingsOfLicense } from './activation-store.js';
import { MIN_FILE_TTL } from '../catalog/product-licensing.js';
import { currentSigningKey, noteSigned } from './license-file-keys.js';
import type { LicenseRef } from './params.js';
import { namesLicenseProduct } from './product-match.js';
import { isoTime } from '../util/dates.js';

/** The JWS header's `typ` of a license file. */
export const LICENSE_FILE_TYPE = 'tessera-license+jwt';

export interface LicenseFileClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  license_id: string;
  sale_id: string;
  product_id: string;
  product_name: string;
  variant: string | null;
  email?: string;
  status: string;
  refunded: boolean;
  chargebacked: boolean;
  disabled: boolean;
  activation_limit: number | null;
  instance: { id: string; name: string; fingerprint: string | null } | null;
}

export interface LicenseFileAnswer {
  success: true;
  license_file: string;
  kid: string;
  issued_at: string;
  expires_at: string;
}

/**
 * POST /v2/licenses/file: a compact JWS (EdDSA, Ed25519) over the license's facts at issue time,
 * valid for the product's license_file_ttl (else TESSERA_LICENSE_FILE_TTL), never past the end
 * of a subscription. Bound to an instance when `instance_id` names one of the license's. A
 * disabled or refunded license still gets its file, saying so: the application decides offline.
 * Unknown keys and instances count against the caller's IP like failed verifications.
 */
export async function issueLicenseFile(ctx: AppContext, ref: LicenseRef, instanceId: string | null, ip: string): Promise<LicenseFileAnswer> {
  const limiter = ctx.licenseVerify.limiter;
  const wait = limiter.retryAfter(ip);
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many failed license requests. Try again in ${wait} seconds.`);
  try {
    if (ref.licenseKey === null) throw new TesseraError('LICENSE_NOT_FOUND');
    const license = await licenseByKey(ctx, ref.licenseKey.trim());
    if (!license || !namesLicenseProduct(ref, license)) throw new TesseraError('LICENSE_NOT_FOUND');
    let instance: LicenseFileClaims['instance'] = null;
    if (instanceId !== null) {
      const row = INSTANCE_ID.test(instanceId) ? await findActivation(ctx.db, license.id, instanceId.toLowerCase()) : undefined;
      if (!row) throw new TesseraError('LICENSE_INSTANCE_NOT_FOUND');
      instance = { id: row.id, name: row.name, fingerprint: row.fingerprint };
    }
    const [settings, seats] = await Promise.all([settingsOfLicense(ctx.db, license.id), seatsOf(ctx.db, license)]);
    const now = Date.now();
    const ttl = Math.max(MIN_FILE_TTL, settings?.license_file_ttl ?? ctx.config.licenseFileTtl) * 1000;
    let expires = now + ttl;
    if (license.subscription_ended_at !== null && license.subscription_ended_at > now) expires = Math.min(expires, license.subscription_ended_at);
    const iat = Math.floor(now / 1000);
    const exp = Math.max(iat + 1, Math.floor(expires / 1000));
    const variants = Object.values(JSON.parse(license.variants) as Record<string, string>);
    const claims: LicenseFileClaims = {
      iss: ctx.config.publicUrl,
      sub: license.license_id,
      jti: randomUUID(),
      iat,
      nbf: iat,
      exp,
      license_id: license.license_id,
      sale_id: license.sale_id,
      product_id: license.product_external_id,
      product_name: license.product_name,
      variant: variants.length > 0 ? variants.join(', ') : null,
      status: licenseState(license, seats.usage, now),
      refunded: license.refunded === 1,
      chargebacked: license.chargebacked === 1,
      disabled: license.disabled_at !== null || license.seller_licenses_stopped_at !== null,
      activation_limit: seats.limit,
      instance,
    };
    if (settings?.license_file_email === 1) claims.email = license.email;
    const { kid, key } = await currentSigningKey(ctx);
    const jws = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', kid, typ: LICENSE_FILE_TYPE }).sign(key);
    await noteSigned(ctx, kid, exp * 1000);
    return { success: true, license_file: jws, kid, issued_at: isoTime(iat * 1000), expires_at: isoTime(exp * 1000) };
  } catch (err) {
    if (err instanceof TesseraError && err.status !== 400) {
      const over = await limiter.hit(ip);
      if (over > 0) throw TesseraError.rateLimited(over, `Too many failed license requests. Try again in ${over} seconds.`);
    }
    throw err;
  }
}
