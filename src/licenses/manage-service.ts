import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow } from '../db/database.js';
import { requireOwnedLicense, reloadLicense } from './owned-license.js';
import type { LicenseRef } from './params.js';
import { presentLicense, type LicenseAnswer } from './present.js';
import * as licenses from './store.js';
import { enqueueLicenseEvent } from '../webhooks/events.js';

/** A seller's request about one of their licenses: who asks, and how the license is named. */
export interface ManageInput {
  sellerId: string;
  ref: LicenseRef;
  actor: Actor;
}

async function setDisabled(ctx: AppContext, input: ManageInput, disabled: boolean): Promise<LicenseAnswer> {
  const license = await requireOwnedLicense(ctx, input.sellerId, input.ref);
  await ctx.db.transaction().execute(async (trx) => {
    await licenses.setDisabledAt(trx, license.id, disabled ? (license.disabled_at ?? Date.now()) : null);
    await recordAudit(trx, {
      actor: input.actor,
      userId: input.sellerId,
      action: disabled ? 'license.disabled' : 'license.enabled',
      target: { type: 'license', id: license.id },
      metadata: { license_id: license.license_id, sale_id: license.sale_id, was_disabled: license.disabled_at !== null },
    });
    await enqueueLicenseEvent(trx, ctx, license, disabled ? 'license_disabled' : 'license_enabled');
  });
  const now = await reloadLicense(ctx, license.id);
  return presentLicense(ctx, now, { uses: now.uses });
}

/** PUT /v2/licenses/disable: verification answers "This license key has been disabled." from now on. */
export function disableLicense(ctx: AppContext, input: ManageInput): Promise<LicenseAnswer> {
  return setDisabled(ctx, input, true);
}

/** PUT /v2/licenses/enable: works on disabled and enabled licenses alike. */
export function enableLicense(ctx: AppContext, input: ManageInput): Promise<LicenseAnswer> {
  return setDisabled(ctx, input, false);
}

/** PUT /v2/licenses/decrement_uses_count: one use less, never below 0 (atomic, so concurrent calls cannot overshoot). */
export async function decrementUses(ctx: AppContext, input: ManageInput): Promise<LicenseAnswer> {
  const license = await requireOwnedLicense(ctx, input.sellerId, input.ref);
  await ctx.db.transaction().execute(async (trx) => {
    const decremented = await licenses.decrementUses(trx, license.id);
    if (!decremented) return;
    await recordAudit(trx, {
      actor: input.actor,
      userId: input.sellerId,
      action: 'license.uses_decremented',
      target: { type: 'license', id: license.id },
      metadata: { license_id: license.license_id, sale_id: license.sale_id },
    });
  });
  const now = await reloadLicense(ctx, license.id);
  return presentLicense(ctx, now, { uses: now.uses });
}

/**
 * Support action of the dashboard (beyond Gumroad, whose API never resets a counter): uses back
 * to 0, for a buyer who moved to a new machine. Audited with the count it replaced.
 */
export async function resetUses(ctx: AppContext, input: ManageInput): Promise<LicenseAnswer> {
  const license = await requireOwnedLicense(ctx, input.sellerId, input.ref);
  await ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'licenses', license.id);
    const previous = await licenses.resetUses(trx, license.id);
    if (previous === 0) return;
    await recordAudit(trx, {
      actor: input.actor,
      userId: input.sellerId,
      action: 'license.uses_reset',
      target: { type: 'license', id: license.id },
      metadata: { license_id: license.license_id, sale_id: license.sale_id, previous_uses: previous },
    });
  });
  const now = await reloadLicense(ctx, license.id);
  return presentLicense(ctx, now, { uses: now.uses });
}
