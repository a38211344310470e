import type { Executor } from '../db/database.js';
import type { AccessTokenTable } from './tables.js';

export function insertToken(db: Executor, token: AccessTokenTable) {
  return db.insertInto('access_tokens').values(token).execute();
}

/** The token by its HMAC, with whether its account is disabled (same statement: no cache can miss a disable). */
export function findByHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('access_tokens')
    .innerJoin('users', 'users.id', 'access_tokens.user_id')
    .selectAll('access_tokens')
    .select('users.disabled_at as user_disabled_at')
    .where('access_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Revokes the live owner token of (application, user); returns how many died (0 or 1). */
export async function revokeLiveOwnerTokens(db: Executor, applicationId: string, userId: string, reason: string, now: number) {
  const rows = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('application_id', '=', applicationId)
    .where('user_id', '=', userId)
    .where('kind', '=', 'owner')
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** Revokes every live token of an application (deletion); returns how many died. */
export async function revokeAllOfApplication(db: Executor, applicationId: string, reason: string, now: number) {
  const rows = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('application_id', '=', applicationId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export function revokeToken(db: Executor, id: string, userId: string, reason: string, now: number) {
  return db
    .updateTable('access_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'application_id'])
    .executeTakeFirst();
}

/** A user's live tokens with their application's name, newest first. */
export function listLiveForUser(db: Executor, userId: string, now: number) {
  return db
    .selectFrom('access_tokens')
    .innerJoin('applications', 'applications.id', 'access_tokens.application_id')
    .select([
      'access_tokens.id',
      'access_tokens.application_id',
      'applications.name as application_name',
      'access_tokens.kind',
      'access_tokens.scopes',
      'access_tokens.hint',
      'access_tokens.created_at',
      'access_tokens.expires_at',
      'access_tokens.last_used_at',
    ])
    .where('access_tokens.user_id', '=', userId)
    .where('access_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('access_tokens.expires_at', 'is', null), eb('access_tokens.expires_at', '>', now)]))
    .orderBy('access_tokens.created_at', 'desc')
    .execute();
}

export function countLiveOfApplication(db: Executor, applicationId: string) {
  return db
    .selectFrom('access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('application_id', '=', applicationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
}
