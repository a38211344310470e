import { sql, type Insertable } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor, Trx } from '../db/database.js';
import { REQUIRE_SECOND_FACTOR } from './instance-settings-store.js';
import type { SessionTable, UserTable } from './tables.js';

export function insertUser(db: Executor, user: Insertable<UserTable>) {
  return db.insertInto('users').values(user).execute();
}

/** Whether any account exists yet (the start banner says what to do first). */
export async function hasAnyUser(db: Executor): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
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

// --- owners

export async function countOwners(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('is_owner', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialises "is there an owner yet?" between concurrent first sign-ups (SQLite: one transaction at a time). */
export async function lockOwnership(trx: Trx, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('tessera-instance-owner'))`.execute(trx);
}

export function setOwner(db: Executor, userId: string, owner: boolean) {
  return db.updateTable('users').set({ is_owner: owner ? 1 : 0 }).where('id', '=', userId).executeTakeFirst();
}

/** A session's last activity (and address), written in batches by src/accounts/session-seen.ts. */
export function touchSession(db: Executor, sessionId: string, at: number, ip: string | null) {
  return db
    .updateTable('sessions')
    .set({ last_seen_at: at, ...(ip ? { last_ip: ip } : {}) })
    .where('id', '=', sessionId)
    .execute();
}
