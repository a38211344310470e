import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { Trx } from '../db/database.js';
import type { Dialect } from '../config.js';
import { generateCredential, isWellFormedCredential } from '../credentials/credential.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { normaliseEmail } from '../util/email.js';
import { newExternalId, newId, newNumericId } from '../util/ids.js';
import { isOn } from './instance-settings-store.js';
import * as accounts from './store.js';
import { assertAcceptablePassword } from './password-policy.js';
import { secondFactorRequiredWith } from './second-factor-policy.js';

export interface User {
  id: string;
  email: string;
}

/** A user whose password was just checked: whether a second factor must follow. */
export interface VerifiedUser extends User {
  secondFactorSince: number | null;
}

export interface SessionUser extends User {
  sessionId: string;
  /** An instance owner (src/admin): sees the admin pages. */
  isOwner: boolean;
  /** Since when the account has a second factor; null without one. */
  secondFactorSince: number | null;
  /** When this session last proved a second factor (sign-in or step-up); null if never. */
  secondFactorAt: number | null;
  /** The instance requires a second factor of every account (read with the session: src/accounts/second-factor-policy.ts). */
  instanceRequiresSecondFactor?: boolean;
}

/** What a new session remembers of where it was made (the sessions page shows it). */
export interface SessionOrigin {
  userAgent?: string | null;
  /** The session proved a second factor as it began. */
  secondFactor?: boolean;
}

/**
 * The first account of an instance becomes its owner, in the transaction that creates it (its
 * `user.created` audit event says `instance_owner: true`). Two first sign-ups at once are
 * decided one at a time (an advisory lock on PostgreSQL; SQLite runs one transaction at a
 * time), so exactly one of them is the owner.
 */
async function claimOwnershipIfFirst(trx: Trx, dialect: Dialect, userId: string): Promise<boolean> {
  if ((await accounts.countOwners(trx)) > 0) return false;
  await accounts.lockOwnership(trx, dialect);
  if ((await accounts.countOwners(trx)) > 0) return false;
  await accounts.setOwner(trx, userId, true);
  return true;
}

/** Sign-up admission (src/admin/signup.ts): runs in the account's transaction, may refuse it. */
export type Admission = (trx: Trx, user: { id: string; email: string; isOwner: boolean }) => Promise<void>;

export async function createUser(ctx: AppContext, input: { email: string; password: string }, actor: Actor, admit?: Admission): Promise<User> {
  const email = normaliseEmail(input.email);
  assertAcceptablePassword(input.password, email);
  const id = newNumericId();
  const passwordHash = await ctx.passwords.hash(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    if (await accounts.findUserByEmail(trx, email)) throw new TesseraError('EMAIL_TAKEN');
    try {
      await accounts.insertUser(trx, {
        id,
        external_id: newExternalId(),
        email,
        password_hash: passwordHash,
        name: null,
        bio: null,
        twitter_handle: null,
        currency_type: 'usd',
        created_at: Date.now(),
      });
    } catch (err) {
      // Two sign-ups with one email racing on PostgreSQL: the unique index decides.
      if (isUniqueViolation(err)) throw new TesseraError('EMAIL_TAKEN');
      throw err;
    }
    const isOwner = await claimOwnershipIfFirst(trx, ctx.dialect, id);
    await recordAudit(trx, {
      actor: { ...actor, id: actor.id ?? id },
      userId: id,
      action: 'user.created',
      target: { type: 'user', id },
      ...(isOwner ? { metadata: { instance_owner: true } } : {}),
    });
    await admit?.(trx, { id, email, isOwner });
    return { id, email };
  });
}

export async function requireUserByEmail(ctx: AppContext, email: string): Promise<User> {
  const user = await accounts.findUserByEmail(ctx.db, normaliseEmail(email));
  if (!user) throw new TesseraError('USER_NOT_FOUND');
  return { id: user.id, email: user.email };
}

/** Checks a password; both outcomes are audited (failures under the account when it exists). */
export async function verifyPassword(ctx: AppContext, input: { email: string; password: string }, actor: Actor): Promise<VerifiedUser> {
  const email = normaliseEmail(input.email);
  const user = await accounts.findUserByEmail(ctx.db, email);
  const ok = user
    ? await ctx.passwords.verify(user.password_hash, input.password)
    : await ctx.passwords.verifyNothing(input.password); // both paths cost one argon2 verification
  if (!user || !ok) {
    await recordAudit(ctx.db, {
      actor,
      userId: user?.id ?? null,
      action: 'login.failed',
      metadata: { email, reason: user ? 'wrong_password' : 'unknown_email' },
    });
    throw new TesseraError('INVALID_LOGIN');
  }
  // Said only to whoever knows the password: a disabled account is not revealed to others.
  if (user.disabled_at !== null) throw new TesseraError('ACCOUNT_DISABLED');
  return { id: user.id, email: user.email, secondFactorSince: user.second_factor_since };
}

/** Logs in with a password alone (accounts without a second factor; test seeds): see login.ts. */
export async function createSession(ctx: AppContext, input: { email: string; password: string }, actor: Actor, origin: SessionOrigin = {}) {
  const { id, email } = await verifyPassword(ctx, input, actor);
  return startSession(ctx, { id, email }, actor, origin);
}

/** Opens a session for a user whose identity is proved: returns the cookie value, shown to the browser only. */
export async function startSession(ctx: AppContext, user: User, actor: Actor, origin: SessionOrigin = {}) {
  const token = generateCredential('ss');
  const now = ctx.clock();
  const sessionId = newId();
  const expiresAt = now + ctx.config.accounts.sessionLifetimeSeconds * 1000;
  await ctx.db.transaction().execute(async (trx) => {
    await accounts.insertSession(trx, {
      id: sessionId,
      token_hash: ctx.keys.hash(token),
      user_id: user.id,
      created_at: now,
      expires_at: expiresAt,
      ip: actor.ip,
      user_agent: origin.userAgent ? origin.userAgent.slice(0, 512) : null,
      last_seen_at: now,
      last_ip: actor.ip,
      second_factor_at: origin.secondFactor ? now : null,
    });
    await recordAudit(trx, { actor: { ...actor, type: 'user', id: user.id }, userId: user.id, action: 'session.created', target: { type: 'session', id: sessionId } });
  });
  return { user, token, sessionId, expiresAt };
}

/**
 * The user of a session cookie, or null. A session ends at its lifetime (TESSERA_SESSION_LIFETIME)
 * or after TESSERA_SESSION_IDLE_TIMEOUT without a request; "last seen" is noted for a batched
 * write (at most one a minute per session), never written here.
 */
export async function findSessionUser(ctx: AppContext, token: string | undefined, ip: string | null = null): Promise<SessionUser | null> {
  if (!isWellFormedCredential(token, 'ss')) return null;
  const now = ctx.clock();
  const row = await accounts.findLiveSessionByHash(ctx.db, ctx.keys.hash(token), now);
  if (!row) return null;
  const lastSeen = row.last_seen_at ?? row.created_at;
  const idle = ctx.config.accounts.sessionIdleSeconds;
  if (idle > 0 && now - lastSeen >= idle * 1000) return null;
  ctx.sessionsSeen.note(row.session_id, lastSeen, now, ip);
  return {
    id: row.id,
    email: row.email,
    sessionId: row.session_id,
    isOwner: row.is_owner === 1,
    secondFactorSince: row.second_factor_since,
    secondFactorAt: row.second_factor_at,
    instanceRequiresSecondFactor: secondFactorRequiredWith(ctx, isOn(row.require_second_factor_setting)),
  };
}

export async function deleteSession(ctx: AppContext, token: string | undefined, actor: Actor): Promise<void> {
  if (!isWellFormedCredential(token, 'ss')) return;
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await accounts.deleteSessionByHash(trx, ctx.keys.hash(token));
    if (gone) await recordAudit(trx, { actor, userId: gone.user_id, action: 'session.deleted', target: { type: 'session', id: gone.id } });
  });
}
