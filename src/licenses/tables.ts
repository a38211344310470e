import type { Generated, Selectable } from 'kysely';

/** One license per licensed purchase (sale) or imported customer. */
export interface LicenseTable {
  id: string;
  /** The `license_id` clients see in sale objects and in /v2/licenses/{license_id}/events. */
  external_id: string;
  /** purchases.id; one license per purchase. */
  purchase_id: string;
  /** products.id and users.id of the seller, copied from the purchase: ownership checks need no join. */
  product_id: string;
  seller_id: string;
  /** HMAC of the key (ctx.keys.hash): the only way a key is looked up. */
  key_hash: string;
  /** AES-256-GCM of the key (ctx.keys.encrypt), so its seller can see it again. Never plain. */
  key_encrypted: string;
  uses: number;
  disabled_at: number | null;
  /** After a rotation with a grace period: the retired key's HMAC, valid until grace_ends_at. */
  grace_key_hash: string | null;
  grace_ends_at: number | null;
  rotated_at: number | null;
  created_at: number;
}

/** Verifications of a license per UTC day: counted, not audited one by one. */
export interface LicenseVerificationDayTable {
  license_id: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** Successful verifications (with or without a counted use). */
  succeeded: number;
  /** Refused ones: disabled key, revoked access, wrong product. */
  refused: number;
}

/** One row (id 1): bumped by triggers whenever anything a license view shows changes (migration 0007). */
export interface LicenseViewEpochTable {
  id: number;
  epoch: number;
  /** SQLite: bumped whenever licenses.uses changes (migration 0008). */
  uses_epoch: Generated<number>;
}

/** Uses counted by verify batches on SQLite, not yet folded into licenses.uses (migration 0008). */
export interface LicenseUseLogTable {
  seq: Generated<number>;
  /** JSON object: license id → uses one verify batch counted. */
  counts: string;
}

export interface LicenseTables {
  licenses: LicenseTable;
  license_verification_days: LicenseVerificationDayTable;
  license_view_epoch: LicenseViewEpochTable;
  license_use_log: LicenseUseLogTable;
}

export type LicenseRow = Selectable<LicenseTable>;
