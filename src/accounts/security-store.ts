import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AccountTokenTable, AuthChallengeTable, PasskeyTable } from './tables.js';

/** Kysely only: second factors, challenges, emailed links, devices and sessions of one account. */

// --- TOTP
export function findTotp(db: Executor, userId: string) {
  return db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new set-up replaces any unconfirmed one; a confirmed one is never replaced here. */
export async function putPendingTotp(db: Executor, userId: string, secretCiphertext: string, now: number) {
  await db.deleteFrom('totp_credentials').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
  await db.insertInto('totp_credentials').values({ user_id: userId, secret_ciphertext: secretCiphertext, confirmed_at: null, last_step: null, created_at: now }).execute();
}

/** Accepts a code's time step once: true when the stored step was older (so no code is used twice). */
export async function claimTotpStep(db: Executor, userId: string, step: number, confirm: number | null): Promise<boolean> {
  const res = await db
    .updateTable('totp_credentials')
    .set({ last_step: step, ...(confirm === null ? {} : { confirmed_at: confirm }) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function deleteTotp(db: Executor, userId: string) {
  return db.deleteFrom('totp_credentials').where('user_id', '=', userId).executeTakeFirst();
}

// --- recovery codes
export async function replaceRecoveryCodes(db: Executor, userId: string, rows: Array<{ id: string; code_hash: string }>, now: number) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('recovery_codes').values(rows.map((r) => ({ ...r, user_id: userId, used_at: null, created_at: now }))).execute();
}

export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function deleteRecoveryCodes(db: Executor, userId: string) {
  return db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

// --- passkeys
export function listPasskeys(db: Executor, userId: string) {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export function findPasskeyByCredentialId(db: Executor, userId: string, credentialId: string) {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('credential_id', '=', credentialId).executeTakeFirst();
}

export function insertPasskey(db: Executor, row: Insertable<PasskeyTable>) {
  return db.insertInto('passkeys').values(row).execute();
}

export function updatePasskeyUse(db: Executor, id: string, counter: number, now: number) {
  return db.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', id).execute();
}

export function deletePasskey(db: Executor, userId: string, id: string) {
  return db.deleteFrom('passkeys').where('user_id', '=', userId).where('id', '=', id).returning(['id', 'name']).executeTakeFirst();
}

// --- second factor state of the account
export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const totp = await db.selectFrom('totp_credentials').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  if (totp) return true;
  const passkey = await db.selectFrom('passkeys').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return passkey !== undefined;
}

/** Since when the account has a second factor (null: none, or no such account). */
export async function secondFactorSince(db: Executor, userId: string): Promise<number | null> {
  const row = await db.selectFrom('users').select('second_factor_since').where('id', '=', userId).executeTakeFirst();
  return row?.second_factor_since ?? null;
}

export function setSecondFactorSince(db: Executor, userId: string, since: number | null) {
  return db.updateTable('users').set({ second_factor_since: since }).where('id', '=', userId).execute();
}

// --- challenges (single-use, short-lived)
export async function insertChallenge(db: Executor, row: Insertable<AuthChallengeTable>) {
  await db.deleteFrom('auth_challenges').where('expires_at', '<', row.created_at).execute();
  await db.insertInto('auth_challenges').values(row).execute();
}

export function findChallenge(db: Executor, id: string, purpose: string, now: number) {
  return db
    .selectFrom('auth_challenges')
    .selectAll()
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Uses a challenge up: true for the one caller (of any process) that got it. */
export async function consumeChallenge(db: Executor, id: string, purpose: string, now: number, userId?: string | null): Promise<boolean> {
  let query = db
    .updateTable('auth_challenges')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now);
  if (userId !== undefined) query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  const res = await query.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// --- emailed links
export function insertAccountToken(db: Executor, row: Insertable<AccountTokenTable>) {
  return db.insertInto('account_tokens').values(row).execute();
}

export function findLiveAccountToken(db: Executor, tokenHash: string, purpose: string, now: number) {
  return db
    .selectFrom('account_tokens')
    .innerJoin('users', 'users.id', 'account_tokens.user_id')
    .select(['account_tokens.id', 'account_tokens.user_id', 'users.email'])
    .where('account_tokens.token_hash', '=', tokenHash)
    .where('account_tokens.purpose', '=', purpose)
    .where('account_tokens.used_at', 'is', null)
    .where('account_tokens.expires_at', '>', now)
    .executeTakeFirst();
}

export async function useAccountToken(db: Executor, id: string, now: number): Promise<boolean> {
  const res = await db.updateTable('account_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Every unused link of this purpose stops working (a password changed, a new link sent). */
export function retireAccountTokens(db: Executor, userId: string, purpose: string, now: number) {
  return db.updateTable('account_tokens').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

// --- password and email
export function setPasswordHash(db: Executor, userId: string, hash: string, now: number) {
  return db.updateTable('users').set({ password_hash: hash, password_changed_at: now }).where('id', '=', userId).execute();
}

export function setEmailVerified(db: Executor, userId: string, now: number) {
  return db.updateTable('users').set({ email_verified_at: now }).where('id', '=', userId).where('email_verified_at', 'is', null).execute();
}

// --- sessions of an account
export function listLiveSessions(db: Executor, userId: string, now: number, idleSince: number | null) {
  let query = db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'expires_at', 'ip', 'last_ip', 'last_seen_at', 'user_agent', 'second_factor_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now);
  if (idleSince !== null) query = query.where((eb) => eb(eb.fn.coalesce('last_seen_at', 'created_at'), '>', idleSince));
  return query.orderBy('created_at', 'desc').execute();
}

export function deleteUserSession(db: Executor, userId: string, sessionId: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', sessionId).returning(['id']).executeTakeFirst();
}

/** Ends every session of the account but `keep` (null: all of them). Returns how many ended. */
export async function deleteOtherSessions(db: Executor, userId: string, keep: string | null): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== null) query = query.where('id', '!=', keep);
  const res = await query.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export function markSessionSecondFactor(db: Executor, sessionId: string, now: number) {
  return db.updateTable('sessions').set({ second_factor_at: now }).where('id', '=', sessionId).execute();
}

// --- known devices
export function findKnownDevice(db: Executor, userId: string, deviceHash: string) {
  return db.selectFrom('known_devices').select(['device_hash']).where('user_id', '=', userId).where('device_hash', '=', deviceHash).executeTakeFirst();
}

export async function countKnownDevices(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('known_devices').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function insertKnownDevice(db: Executor, userId: string, deviceHash: string, userAgent: string | null, now: number) {
  return db.insertInto('known_devices').values({ user_id: userId, device_hash: deviceHash, user_agent: userAgent, created_at: now, last_seen_at: now }).execute();
}

export function touchKnownDevice(db: Executor, userId: string, deviceHash: string, now: number) {
  return db.updateTable('known_devices').set({ last_seen_at: now }).where('user_id', '=', userId).where('device_hash', '=', deviceHash).execute();
}
