import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { isoSeconds } from '../util/dates.js';
import { deactivate, INSTANCE_ID } from './activation-service.js';
import { activationsOf, limitOf, setLicenseLimit } from './activation-store.js';
import { activationLimitValue } from '../catalog/product-licensing.js';
import * as licenses from './store.js';
import type { LicenseView } from './store.js';

/** The seller's license by its license_id; another seller's answers exactly like an unknown one. */
export async function requireSellerLicense(ctx: AppContext, sellerId: string, licenseId: string): Promise<LicenseView> {
  const row = await licenses.findByExternalId(ctx.db, licenseId);
  const view = row && row.seller_id === sellerId ? await licenses.viewById(ctx.db, row.id) : undefined;
  if (!view) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  return view;
}

/** GET /v2/licenses/:license_id/activations: the seats, oldest first. */
export async function listLicenseActivations(ctx: AppContext, sellerId: string, licenseId: string) {
  const license = await requireSellerLicense(ctx, sellerId, licenseId);
  const [rows, limit] = await Promise.all([activationsOf(ctx.db, license.id), limitOf(ctx.db, license.id)]);
  return {
    success: true as const,
    license_id: license.license_id,
    activation_limit: limit.limit,
    activation_limit_source: limit.source,
    activation_usage: rows.length,
    activations: rows.map((a) => ({
      id: a.id,
      name: a.name,
      fingerprint: a.fingerprint,
      ip_country: a.ip_country,
      created_at: isoSeconds(a.created_at)!,
      last_seen_at: isoSeconds(a.last_seen_at)!,
    })),
  };
}

/** DELETE /v2/licenses/:license_id/activations/:instance_id: frees the seat (audited like a client's deactivation). */
export async function deleteLicenseActivation(ctx: AppContext, sellerId: string, licenseId: string, instanceId: string, actor: Actor) {
  const license = await requireSellerLicense(ctx, sellerId, licenseId);
  const done = INSTANCE_ID.test(instanceId) ? await deactivate(ctx, license, instanceId.toLowerCase(), actor) : null;
  if (!done) throw new TesseraError('LICENSE_INSTANCE_NOT_FOUND');
  return {
    success: true as const,
    message: 'The activation was deleted successfully.',
    activation_usage: done.seats.usage,
    activation_limit: done.seats.limit,
  };
}

const FOLLOW_PRODUCT = new Set(['', 'product', 'default', 'inherit']);

/**
 * PUT /v2/licenses/:license_id/activation_limit: this license's own seat count (`activation_limit`
 * = 1..100000 or `unlimited`), or back to its product's (`product` or blank). Instances above a
 * lowered limit stay; new activations are refused until enough are deactivated.
 */
export async function setLicenseActivationLimit(ctx: AppContext, sellerId: string, licenseId: string, value: unknown, actor: Actor) {
  const license = await requireSellerLicense(ctx, sellerId, licenseId);
  if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
    throw new TesseraError('LICENSE_PARAMETER_INVALID', "The 'activation_limit' parameter must be a string.");
  }
  const text = value === undefined || value === null ? '' : String(value).trim().toLowerCase();
  const limit = FOLLOW_PRODUCT.has(text) ? undefined : activationLimitValue(text, (m) => new TesseraError('LICENSE_PARAMETER_INVALID', m));
  await ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'licenses', license.id);
    const before = await limitOf(trx, license.id);
    await setLicenseLimit(trx, license.id, limit);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'license.activation_limit_changed',
      target: { type: 'license', id: license.id },
      metadata: { license_id: license.license_id, sale_id: license.sale_id, previous: before.limit, previous_source: before.source, activation_limit: limit ?? null, follows_product: limit === undefined },
    });
  });
  return listLicenseActivations(ctx, sellerId, licenseId);
}
