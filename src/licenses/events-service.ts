import type { AppContext } from '../context.js';
import { listAuditEvents, type AuditEvent } from '../audit/service.js';
import { TesseraError } from '../http/errors.js';
import * as licenses from './store.js';

export interface LicenseHistory {
  license_id: string;
  /** Verifications per UTC day, newest first. */
  verifications: { day: string; succeeded: number; refused: number }[];
  /** Issue, import, enable, disable, decrement and rotate events, newest first. */
  events: AuditEvent[];
}

/**
 * GET /v2/licenses/{license_id}/events: a license's history for support, by the sale's
 * `license_id` (never by key). Another seller's license answers as an unknown one.
 */
export async function licenseHistory(ctx: AppContext, sellerId: string, licenseId: string, limit = 200): Promise<LicenseHistory> {
  const license = await licenses.findByExternalId(ctx.db, licenseId);
  if (!license || license.seller_id !== sellerId) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  const [days, events] = await Promise.all([
    licenses.verificationDays(ctx.db, license.id, limit),
    listAuditEvents(ctx, { userId: sellerId, targetId: license.id, action: 'license.', limit }),
  ]);
  return { license_id: license.external_id, verifications: days, events };
}
