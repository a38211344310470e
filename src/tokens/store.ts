import type { Dialect } from '../config.js';
import type { Executor } from '../db/database.js';
import { precompiled, slot } from '../db/precompiled.js';
import type { AccessTokenTable } from './tables.js';

export function insertToken(db: Executor, token: AccessTokenTable) {
  return db.insertInto('access_tokens').values(token).execute();
}

/** Several tokens in one statement (the token endpoint's group commit). */
export function insertTokens(db: Executor, rows: AccessTokenTable[]) {
  return db.insertInto('access_tokens').values(rows).execute();
}

/** A token found by its HMAC, with its account (read in the same statement). */
export interface TokenWithUser {
  id: string;
  user_id: string;
  application_id: string;
  kind: AccessTokenTable['kind'];
  scopes: string;
  grant_id: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  /** Set when an owner disabled the account: no cache can miss a disable, it is read here. */
  user_disabled_at: number | null;
  /** Null only if the account is gone (tokens are deleted with it): read as unknown. */
  user_external_id: string | null;
  user_email: string;
  user_name: string | null;
  user_bio: string | null;
  user_twitter_handle: string | null;
  user_currency_type: string;
}

/** users' columns read with a token, as `user_<column>`. */
const USER_COLUMNS = ['disabled_at', 'external_id', 'email', 'name', 'bio', 'twitter_handle', 'currency_type'] as const;

// The account's columns as scalar subqueries, not a join: SQLite (3.54) runs this point lookup
// several times faster that way (docs/performance.md, "Joins on hot paths").
const byHash = precompiled<TokenWithUser, { hash: string }>((db) =>
  db
    .selectFrom('access_tokens')
    .select([
      'access_tokens.id',
      'access_tokens.user_id',
      'access_tokens.application_id',
      'access_tokens.kind',
      'access_tokens.scopes',
      'access_tokens.grant_id',
      'access_tokens.created_at',
      'access_tokens.expires_at',
      'access_tokens.revoked_at',
      'access_tokens.last_used_at',
    ])
    .select((eb) =>
      USER_COLUMNS.map((column) => eb.selectFrom('users').select(column).whereRef('users.id', '=', 'access_tokens.user_id').as(`user_${column}`)),
    )
    .where('access_tokens.token_hash', '=', slot('hash'))
    .compile(),
);

/**
 * The token by its HMAC and its account, in one statement compiled once: what authenticating a
 * request costs in SQL, and all that GET /v2/user needs of the user besides its product links.
 */
export async function findByHash(db: Executor, dialect: Dialect, tokenHash: string): Promise<TokenWithUser | undefined> {
  const [row] = await byHash(db, dialect, { hash: tokenHash });
  return row;
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

/** The application a token was issued for, as the token describes itself (GET /v2/meta, /oauth/token/info). */
export function findTokenApplication(db: Executor, applicationId: string) {
  return db.selectFrom('applications').select(['id', 'name', 'client_id']).where('id', '=', applicationId).executeTakeFirst();
}
