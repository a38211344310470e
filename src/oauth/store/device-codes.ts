import type { Executor } from '../../db/database.js';
import type { DeviceCodeTable } from '../tables.js';

export function insertDeviceCode(db: Executor, code: DeviceCodeTable) {
  return db.insertInto('oauth_device_codes').values(code).execute();
}

export function findByDeviceCodeHash(db: Executor, hash: string) {
  return db.selectFrom('oauth_device_codes').selectAll().where('device_code_hash', '=', hash).executeTakeFirst();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('oauth_device_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The pending, unexpired request a user code names. */
export function findPendingByUserCodeHash(db: Executor, hash: string, now: number) {
  return db
    .selectFrom('oauth_device_codes')
    .selectAll()
    .where('user_code_hash', '=', hash)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export function updateDeviceCode(db: Executor, id: string, changes: Partial<DeviceCodeTable>) {
  return db.updateTable('oauth_device_codes').set(changes).where('id', '=', id).execute();
}

/** Settles a pending request once: false when it was already approved, denied or expired. */
export async function settle(db: Executor, id: string, changes: Partial<DeviceCodeTable>, now: number): Promise<boolean> {
  const row = await db
    .updateTable('oauth_device_codes')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
