import type { Executor } from '../../db/database.js';
import type { RefreshTokenTable } from '../tables.js';

export function insertRefreshToken(db: Executor, token: RefreshTokenTable) {
  return db.insertInto('oauth_refresh_tokens').values(token).execute();
}

export function findByHash(db: Executor, tokenHash: string) {
  return db.selectFrom('oauth_refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('oauth_refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the rotation and the (encrypted) pair concurrent refreshes may get back. */
export function markRotated(db: Executor, id: string, successorId: string, successorPair: string, now: number) {
  return db
    .updateTable('oauth_refresh_tokens')
    .set({ rotated_at: now, successor_id: successorId, successor_pair: successorPair })
    .where('id', '=', id)
    .execute();
}

/** The predecessor's copy of a pair is no longer needed once that pair's refresh token rotates. */
export function forgetPairOfPredecessor(db: Executor, successorId: string) {
  return db.updateTable('oauth_refresh_tokens').set({ successor_pair: null }).where('successor_id', '=', successorId).execute();
}
