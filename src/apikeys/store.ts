import type { Executor } from '../db/database.js';
import type { ApiKeyTable } from './tables.js';

export function insertKey(db: Executor, key: ApiKeyTable) {
  return db.insertInto('api_keys').values(key).execute();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The key whose current secret, or whose previous secret still in its grace period, has this hash,
 * with whether its owner's account (personal keys) is disabled: read in this same statement, so
 * no cache can miss a disable.
 */
export function findByHash(db: Executor, keyHash: string, now: number) {
  return db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('api_keys')
    .select('users.disabled_at as user_disabled_at')
    .where((eb) =>
      eb.or([
        eb('api_keys.key_hash', '=', keyHash),
        eb.and([eb('api_keys.previous_key_hash', '=', keyHash), eb('api_keys.previous_valid_until', '>', now)]),
      ]),
    )
    .executeTakeFirst();
}

/** Live keys (not revoked), newest first: a user's personal keys or a team's keys. */
export function listLive(db: Executor, owner: { userId: string } | { teamId: string }) {
  let query = db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null);
  query = 'teamId' in owner ? query.where('team_id', '=', owner.teamId) : query.where('user_id', '=', owner.userId).where('kind', '=', 'personal');
  return query.orderBy('created_at', 'desc').execute();
}

export function updateKey(db: Executor, id: string, changes: Partial<ApiKeyTable>) {
  return db.updateTable('api_keys').set(changes).where('id', '=', id).executeTakeFirst();
}

/** Forgets every stored (encrypted) key of a user or a team: "recoverable keys" turned off. */
/** Forgets the stored copies of a user's personal keys (a team's: teams/store.ts forgetKeyCopies). */
export async function forgetCiphertexts(db: Executor, userId: string): Promise<number> {
  const result = await db.updateTable('api_keys').set({ key_ciphertext: null }).where('key_ciphertext', 'is not', null).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function recoverableKeysOf(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('account_settings').select('recoverable_keys').where('user_id', '=', userId).executeTakeFirst();
  return row?.recoverable_keys === 1;
}

export async function setRecoverableKeys(db: Executor, userId: string, on: boolean, now: number): Promise<void> {
  await db
    .insertInto('account_settings')
    .values({ user_id: userId, recoverable_keys: on ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ recoverable_keys: on ? 1 : 0, updated_at: now }))
    .execute();
}
