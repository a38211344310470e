import type { Executor } from '../db/database.js';
import type { ActivationRow, LicenseActivationTable } from './activation-tables.js';

export function insertActivation(db: Executor, row: LicenseActivationTable) {
  return db.insertInto('license_activations').values(row).execute();
}

/** A license's instances, oldest first. */
export function activationsOf(db: Executor, licenseId: string): Promise<ActivationRow[]> {
  return db.selectFrom('license_activations').selectAll().where('license_id', '=', licenseId).orderBy('created_at').orderBy('id').execute();
}

export async function countActivations(db: Executor, licenseId: string): Promise<number> {
  const row = await db
    .selectFrom('license_activations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('license_id', '=', licenseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An instance of this license (an instance id of another license names nothing). */
export function findActivation(db: Executor, licenseId: string, instanceId: string): Promise<ActivationRow | undefined> {
  return db.selectFrom('license_activations').selectAll().where('id', '=', instanceId).where('license_id', '=', licenseId).executeTakeFirst();
}

export function findByFingerprint(db: Executor, licenseId: string, fingerprint: string): Promise<ActivationRow | undefined> {
  return db.selectFrom('license_activations').selectAll().where('license_id', '=', licenseId).where('fingerprint', '=', fingerprint).executeTakeFirst();
}

export async function deleteActivation(db: Executor, licenseId: string, instanceId: string): Promise<boolean> {
  const result = await db.deleteFrom('license_activations').where('id', '=', instanceId).where('license_id', '=', licenseId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Last seen now, written only when the stored time is older than `minAgeMs` (validate is frequent). */
/** A fingerprint activated again: its new name and when it was last seen. */
export async function renameActivation(db: Executor, instanceId: string, name: string, now: number): Promise<void> {
  await db.updateTable('license_activations').set({ name, last_seen_at: now }).where('id', '=', instanceId).execute();
}

export function touchActivation(db: Executor, instanceId: string, now: number, minAgeMs: number) {
  return db
    .updateTable('license_activations')
    .set({ last_seen_at: now })
    .where('id', '=', instanceId)
    .where('last_seen_at', '<', now - minAgeMs)
    .execute();
}

// --- limits: the license's override, else its product's setting, else unlimited

export interface LicenseLimit {
  /** Seats; null = unlimited. */
  limit: number | null;
  /** Where it comes from. */
  source: 'license' | 'product' | 'none';
}

/** One statement: the license's override and its product's setting. */
export async function limitOf(db: Executor, licenseId: string): Promise<LicenseLimit> {
  const row = await db
    .selectFrom('licenses')
    .leftJoin('license_limit_overrides as o', 'o.license_id', 'licenses.id')
    .leftJoin('product_license_settings as p', 'p.product_id', 'licenses.product_id')
    .select(['o.license_id as overridden', 'o.activation_limit as license_limit', 'p.activation_limit as product_limit'])
    .where('licenses.id', '=', licenseId)
    .executeTakeFirst();
  if (row?.overridden) return { limit: row.license_limit, source: 'license' };
  return row && row.product_limit !== null ? { limit: row.product_limit, source: 'product' } : { limit: null, source: 'none' };
}

/** `undefined`: follow the product again. */
export async function setLicenseLimit(db: Executor, licenseId: string, limit: number | null | undefined) {
  await db.deleteFrom('license_limit_overrides').where('license_id', '=', licenseId).execute();
  if (limit !== undefined) await db.insertInto('license_limit_overrides').values({ license_id: licenseId, activation_limit: limit }).execute();
}

/** The license's key as stored (encrypted), for answers that show it. */
export async function encryptedKeyOf(db: Executor, licenseId: string): Promise<string> {
  const row = await db.selectFrom('licenses').select('key_encrypted').where('id', '=', licenseId).executeTakeFirstOrThrow();
  return row.key_encrypted;
}

/** The licensing settings of the license's product (undefined: none set). */
export function settingsOfLicense(db: Executor, licenseId: string) {
  return db
    .selectFrom('licenses')
    .innerJoin('product_license_settings as p', 'p.product_id', 'licenses.product_id')
    .select(['p.activation_limit', 'p.license_file_ttl', 'p.license_file_email'])
    .where('licenses.id', '=', licenseId)
    .executeTakeFirst();
}
