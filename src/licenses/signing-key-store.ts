import type { Executor } from '../db/database.js';
import type { SigningKeyRow } from './activation-tables.js';

/** The license-file signing keys' statements (src/licenses/license-file-keys.ts). */

/** The newest key not retired: the one that signs now. */
export function currentKeyRow(db: Executor): Promise<SigningKeyRow | undefined> {
  return db.selectFrom('license_signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').orderBy('kid').executeTakeFirst();
}

export async function insertKey(db: Executor, row: SigningKeyRow): Promise<void> {
  await db.insertInto('license_signing_keys').values(row).execute();
}

/** Moves a key's "signed until" forwards only (the guard): concurrent nodes cannot move it back. */
export async function extendSignedUntil(db: Executor, kid: string, until: number): Promise<void> {
  await db.updateTable('license_signing_keys').set({ signed_until: until }).where('kid', '=', kid).where('signed_until', '<', until).execute();
}

/** Retires every current key; returns their kids. */
export async function retireCurrentKeys(db: Executor, now: number): Promise<string[]> {
  const current = await db.selectFrom('license_signing_keys').select('kid').where('retired_at', 'is', null).execute();
  await db.updateTable('license_signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
  return current.map((r) => r.kid);
}

/** Every key, newest first, without its private part. */
export function listKeys(db: Executor) {
  return db.selectFrom('license_signing_keys').select(['kid', 'created_at', 'retired_at', 'signed_until']).orderBy('created_at', 'desc').execute();
}

/** The public JWKs of the keys published at `now`: current ones, and retired ones until the last file they signed expires. */
export async function publishedJwkTexts(db: Executor, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('license_signing_keys')
    .select('public_jwk')
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('signed_until', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.public_jwk);
}
