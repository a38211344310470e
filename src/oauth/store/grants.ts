import type { Executor } from '../../db/database.js';
import type { OAuthGrantTable } from '../tables.js';

export function insertGrant(db: Executor, grant: OAuthGrantTable) {
  return db.insertInto('oauth_grants').values(grant).execute();
}

/** Several grants in one statement (the token endpoint's group commit). */
export function insertGrants(db: Executor, rows: OAuthGrantTable[]) {
  return db.insertInto('oauth_grants').values(rows).execute();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The grant with its application's deletion time: a deleted application's grants are dead. A
 * grant of a disabled account (src/admin) reads as missing, so no code, refresh or device
 * exchange issues it tokens.
 */
export function findWithApplication(db: Executor, id: string) {
  return db
    .selectFrom('oauth_grants')
    .innerJoin('applications', 'applications.id', 'oauth_grants.application_id')
    .innerJoin('users', 'users.id', 'oauth_grants.user_id')
    .selectAll('oauth_grants')
    .select(['applications.deleted_at as application_deleted_at', 'applications.access_token_lifetime'])
    .where('oauth_grants.id', '=', id)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export function markConfidential(db: Executor, id: string) {
  return db.updateTable('oauth_grants').set({ confidential: 1 }).where('id', '=', id).execute();
}

/** Marks the grant revoked (once) and kills every access and refresh token it issued. */
export async function revokeGrantCascade(db: Executor, id: string, reason: string, now: number) {
  await db.updateTable('oauth_grants').set({ revoked_at: now, revoked_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  const accessTokens = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('grant_id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  const refreshTokens = await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked_at: now, successor_pair: null })
    .where('grant_id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return { accessTokens: accessTokens.length, refreshTokens: refreshTokens.length };
}

/** Live grants of one user and application (for "Authorized applications" → revoke). */
export function listLiveIds(db: Executor, userId: string, applicationId: string) {
  return db
    .selectFrom('oauth_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('application_id', '=', applicationId)
    .where('revoked_at', 'is', null)
    .execute();
}
