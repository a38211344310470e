import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newExternalId, newId } from '../util/ids.js';
import { generateLicenseKey, importedKeyProblem, licenseKeyHash } from './key.js';
import * as licenses from './store.js';
import type { LicenseTable } from './tables.js';

const SYSTEM: Actor = { type: 'system', id: null, ip: null };

export interface IssueLicenseInput {
  purchaseId: string;
  productId: string;
  sellerId: string;
  /** An existing key to keep (imported customers); a new random key when absent. */
  key?: string;
  /** Who caused it, for the audit log (the purchase's recorder); `system` by default. */
  actor?: Actor;
}

/**
 * Gives a purchase its license, in the caller's transaction: the key is stored only as an HMAC
 * (lookup) and AES-256-GCM ciphertext (so the seller can see it again). Returns the key once.
 */
export async function issueLicense(trx: Executor, ctx: AppContext, input: IssueLicenseInput): Promise<{ id: string; licenseId: string; key: string }> {
  const key = input.key ?? generateLicenseKey();
  const row = newLicenseRow(ctx, { ...input, key });
  if (input.key !== undefined) {
    const problem = importedKeyProblem(key);
    if (problem) throw new TesseraError('LICENSE_IMPORT_INVALID', `The license key is not valid: ${problem}.`);
    if ((await licenses.keyHashTaken(trx, [row.key_hash])).length > 0) throw new TesseraError('LICENSE_IMPORT_INVALID', 'This license key is already in use.');
  }
  await licenses.insertLicense(trx, row);
  await recordAudit(trx, {
    actor: input.actor ?? SYSTEM,
    userId: input.sellerId,
    action: input.key === undefined ? 'license.issued' : 'license.imported',
    target: { type: 'license', id: row.id },
    metadata: { license_id: row.external_id },
  });
  return { id: row.id, licenseId: row.external_id, key };
}

/** A license row for a purchase: the key only as HMAC and ciphertext. */
export function newLicenseRow(
  ctx: AppContext,
  input: { purchaseId: string; productId: string; sellerId: string; key: string; uses?: number; createdAt?: number },
): LicenseTable {
  return {
    id: newId(),
    external_id: newExternalId(),
    purchase_id: input.purchaseId,
    product_id: input.productId,
    seller_id: input.sellerId,
    key_hash: licenseKeyHash(ctx.keys, input.key),
    key_encrypted: ctx.keys.encrypt(input.key),
    uses: input.uses ?? 0,
    disabled_at: null,
    grace_key_hash: null,
    grace_ends_at: null,
    rotated_at: null,
    created_at: input.createdAt ?? Date.now(),
  };
}
