import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { isoSeconds } from '../util/dates.js';
import { generateLicenseKey, licenseKeyHash } from './key.js';
import { requireOwnedLicense, reloadLicense } from './owned-license.js';
import { presentLicense, type LicenseAnswer } from './present.js';
import type { ManageInput } from './manage-service.js';
import * as licenses from './store.js';
import { enqueueLicenseEvent } from '../webhooks/events.js';

/**
 * PUT /v2/licenses/rotate: a new random key for a leaked one; uses and the purchase stay. The old
 * key stops verifying when this commits, unless a grace period (seconds, at most 7 days) keeps it
 * verifying until then, answered with `rotated: true`. A rotation ends any earlier grace period.
 * Only the key the request names is replaced: of two racing rotations, the second answers 404.
 * A disabled license comes out enabled (decision 10: the disabled key was the leaked one, the new
 * key goes to the legitimate customer), said by `re_enabled: true` and in the audit event.
 */
export async function rotateLicense(ctx: AppContext, input: ManageInput & { gracePeriodSeconds: number }): Promise<LicenseAnswer> {
  const license = await requireOwnedLicense(ctx, input.sellerId, input.ref);
  const key = generateLicenseKey();
  const now = Date.now();
  const reEnabled = license.disabled_at !== null;
  const graceEndsAt = input.gracePeriodSeconds > 0 ? now + input.gracePeriodSeconds * 1000 : null;
  await ctx.db.transaction().execute(async (trx) => {
    const replaced = await licenses.replaceKey(trx, license.id, license.keyHash, {
      key_hash: licenseKeyHash(ctx.keys, key),
      key_encrypted: ctx.keys.encrypt(key),
      grace_key_hash: graceEndsAt === null ? null : license.keyHash,
      grace_ends_at: graceEndsAt,
      rotated_at: now,
      disabled_at: null,
    });
    if (!replaced) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
    await recordAudit(trx, {
      actor: input.actor,
      userId: input.sellerId,
      action: 'license.rotated',
      target: { type: 'license', id: license.id },
      metadata: { license_id: license.license_id, sale_id: license.sale_id, grace_period: input.gracePeriodSeconds, grace_ends_at: isoSeconds(graceEndsAt), re_enabled: reEnabled },
    });
    await enqueueLicenseEvent(trx, ctx, license, 'license_rotated', { license_key: key, grace_ends_at: graceEndsAt });
  });
  const rotated = await reloadLicense(ctx, license.id);
  const body = presentLicense(ctx, rotated, { uses: rotated.uses });
  if (graceEndsAt !== null) body.grace_ends_at = isoSeconds(graceEndsAt)!;
  if (reEnabled) body.re_enabled = true;
  return body;
}
