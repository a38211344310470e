import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import { REQUIRE_SECOND_FACTOR } from '../admin/instance-settings.js';
import type { SessionTable, UserTable } from './tables.js';

export function insertUser(db: Executor, user: Insertable<UserTable>) {
  return db.insertInto('users').values(user).execute();
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** By the public `user_id` (the seller's profile URL names it). */
export function findUserByExternalId(db: Executor, externalId: string) {
  return db.selectFrom('users').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function insertSession(db: Executor, session: Insertable<SessionTable>) {
  return db.insertInto('sessions').values(session).execute();
}

/** A live session of an account that is not disabled (read in this one statement: no cache can miss a disable). */
export function findLiveSessionByHash(db: Executor, tokenHash: string, now: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.second_factor_at',
      'users.id',
      'users.email',
      'users.external_id',
      'users.second_factor_since',
      'users.is_owner',
      // The owner's "second factor for every account" setting, in the same statement: no extra round trip, no copy.
      (eb) => eb.selectFrom('instance_settings').select('value').where('name', '=', REQUIRE_SECOND_FACTOR).as('require_second_factor_setting'),
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export function deleteSessionByHash(db: Executor, tokenHash: string) {
  return db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning(['id', 'user_id']).executeTakeFirst();
}
