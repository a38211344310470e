import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { normaliseLicenseKey } from './key.js';
import type { LicenseRef } from './params.js';
import { licenseAnswerJson } from './present.js';
import { namesLicenseProduct } from './product-match.js';
import type { LicenseView } from './store.js';
import { verifyBatcher } from './verify-batcher.js';
import { verifyFailureLimiter } from './verify-limit.js';

/** The checks after the key found its license, in the contract's order (§4.2). */
function judge(ref: LicenseRef, license: LicenseView): TesseraError | null {
  try {
    if (!namesLicenseProduct(ref, license)) return new TesseraError('LICENSE_NOT_FOUND');
  } catch (err) {
    return err as TesseraError;
  }
  if (license.access_revoked_at !== null) return new TesseraError('LICENSE_ACCESS_REVOKED');
  if (license.disabled_at !== null || license.seller_licenses_stopped_at !== null) return new TesseraError('LICENSE_DISABLED');
  return null;
}

/**
 * POST /v2/licenses/verify: finds the license by its key (cached, or by HMAC), checks product,
 * access and the disabled flag, and counts a use unless asked not to. The answer (JSON text of a
 * LicenseAnswer) waits for the use to commit (see VerifyBatcher). Every failure counts against
 * the caller's IP; over the limit, 429. A full verify queue answers 503 with Retry-After.
 */
export async function verifyLicense(ctx: AppContext, ref: LicenseRef & { incrementUses: boolean }, ip: string): Promise<string> {
  const limiter = verifyFailureLimiter(ctx);
  const wait = limiter.retryAfter(ip);
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many failed license verifications. Try again in ${wait} seconds.`);
  try {
    if (ref.licenseKey === null) throw new TesseraError('LICENSE_NOT_FOUND');
    // Matched in normal form (decision 9), so every casing shares one cache entry and one HMAC.
    const licenseKey = normaliseLicenseKey(ref.licenseKey);
    const { license, uses, viaGraceKey } = await verifyBatcher(ctx).submit({
      key: licenseKey,
      increment: ref.incrementUses,
      judge: (license) => judge(ref, license),
    });
    return licenseAnswerJson(ctx, license, { uses, licenseKey, graceEndsAt: viaGraceKey ? license.view.grace_ends_at! : undefined });
  } catch (err) {
    // A full queue (503) is the server's state, not the caller's mistake: not counted.
    if (err instanceof TesseraError && err.code !== 'LICENSE_VERIFY_BUSY') {
      // Counted for every node; the failure that goes over the limit is answered 429.
      const over = await limiter.hit(ip);
      if (over > 0) throw TesseraError.rateLimited(over, `Too many failed license verifications. Try again in ${over} seconds.`);
    }
    throw err;
  }
}
