import { randomBytes } from 'node:crypto';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { limiterKeyOf } from '../http/client-address.js';
import { TesseraError } from '../http/errors.js';
import { takeAll } from '../http/shared-limiter.js';
import { verifyPasskey } from './passkeys.js';
import { redeemRecoveryCode } from './recovery-codes.js';
import { startSession, type SessionOrigin, type SessionUser, type User } from './service.js';
import * as security from './security-store.js';
import * as accounts from './store.js';
import { verifyTotpCode } from './totp.js';

/**
 * The second step of a sign-in, and the fresh second factor sensitive actions ask for.
 *
 * A right password for an account with a second factor opens no session: it makes a login
 * challenge (a row of `auth_challenges`, five minutes, single-use) whose random secret the
 * browser keeps in the `tessera_login` cookie. The session is made only when a TOTP code, a
 * recovery code or a passkey answers for that challenge's account. Every attempt is counted
 * per account and per client address before it is checked (ctx.limiters.secondFactor, in the
 * database: the limits hold across processes and nodes).
 */
export const LOGIN_COOKIE = 'tessera_login';
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60 * 1000;
const LOGIN = 'login';
const SECRET_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** What answers a second-factor question: a code (TOTP or recovery), or a passkey's WebAuthn response. */
export type SecondFactorProof = { code: string } | { passkey: unknown };
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

export interface LoginChallenge {
  userId: string;
  email: string;
  /** Where the browser goes after the sign-in. */
  next: string;
  expiresAt: number;
  /** What the account can answer with. */
  methods: { totp: boolean; passkeys: number; recoveryCodes: number };
}

const challengeId = (ctx: AppContext, secret: string) => ctx.keys.hash(`login-challenge:${secret}`);

/** After a right password: the challenge's secret, for the `tessera_login` cookie. */
export async function startLoginChallenge(ctx: AppContext, user: User, next: string): Promise<{ secret: string; expiresAt: number }> {
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.clock();
  const expiresAt = now + LOGIN_CHALLENGE_TTL_MS;
  await security.insertChallenge(ctx.db, {
    id: challengeId(ctx, secret),
    user_id: user.id,
    purpose: LOGIN,
    payload: ctx.keys.encrypt(JSON.stringify({ next })),
    created_at: now,
    expires_at: expiresAt,
    consumed_at: null,
  });
  return { secret, expiresAt };
}

export async function findLoginChallenge(ctx: AppContext, secret: string | undefined): Promise<LoginChallenge | null> {
  if (typeof secret !== 'string' || !SECRET_FORMAT.test(secret)) return null;
  const row = await security.findChallenge(ctx.db, challengeId(ctx, secret), LOGIN, ctx.clock());
  if (!row || !row.user_id) return null;
  const user = await accounts.findUserById(ctx.db, row.user_id);
  if (!user) return null;
  const { next } = JSON.parse(ctx.keys.decrypt(row.payload!)) as { next: string };
  const totp = await security.findTotp(ctx.db, user.id);
  const passkeys = await security.listPasskeys(ctx.db, user.id);
  return {
    userId: user.id,
    email: user.email,
    next,
    expiresAt: row.expires_at,
    methods: { totp: totp?.confirmed_at != null, passkeys: passkeys.length, recoveryCodes: await security.countUnusedRecoveryCodes(ctx.db, user.id) },
  };
}

/**
 * Checks one answer, counted first: a slot is taken per account and per client address in the
 * database (SharedLimiter.take, one atomic conditional upsert each) before anything is checked,
 * so of a burst on any number of processes and nodes at most the limit is checked. A right answer,
 * or a failure of ours, gives its slots back: what stays counted is the wrong answers.
 */
export async function checkSecondFactor(ctx: AppContext, user: User, proof: SecondFactorProof, actor: Actor): Promise<SecondFactorMethod> {
  const { perUser, perIp } = ctx.limiters.secondFactor;
  const ip = limiterKeyOf(actor.ip);
  // Both or neither: refused by the address, the account's slot is not used either.
  const wait = await takeAll([[perUser, user.id], [perIp, ip]]);
  if (wait > 0) {
    throw TesseraError.rateLimited(wait, `Too many wrong codes. Try again in ${wait} seconds.`);
  }
  const giveBack = () => Promise.all([perUser.giveBack(user.id), perIp.giveBack(ip)]);
  let method: SecondFactorMethod | null = null;
  try {
    if ('passkey' in proof) {
      if (await verifyPasskey(ctx, user.id, proof.passkey)) method = 'passkey';
    } else {
      const code = proof.code.trim();
      if (/^\d{3}\s?\d{3}$/.test(code)) {
        if (await verifyTotpCode(ctx, user, code)) method = 'totp';
      } else if (await redeemRecoveryCode(ctx, user.id, code)) method = 'recovery_code';
    }
  } catch (err) {
    // Not a wrong answer (bad input, a failure of ours): not counted. The original error wins.
    await giveBack().catch(() => undefined);
    throw err;
  }
  if (method === null) {
    await recordAudit(ctx.db, { actor, userId: user.id, action: 'second_factor.failed', metadata: { method: 'passkey' in proof ? 'passkey' : 'code' } });
    throw new TesseraError('SECOND_FACTOR_INVALID');
  }
  await giveBack();
  return method;
}

/** The second step of a sign-in: a right answer uses the challenge up and opens the session. */
export async function completeLogin(ctx: AppContext, secret: string | undefined, proof: SecondFactorProof, actor: Actor, origin: SessionOrigin = {}) {
  const pending = await findLoginChallenge(ctx, secret);
  if (!pending) throw new TesseraError('LOGIN_CHALLENGE_EXPIRED');
  const user = { id: pending.userId, email: pending.email };
  const method = await checkSecondFactor(ctx, user, proof, { ...actor, type: 'user', id: user.id });
  if (!(await security.consumeChallenge(ctx.db, challengeId(ctx, secret!), LOGIN, ctx.clock(), user.id))) throw new TesseraError('LOGIN_CHALLENGE_EXPIRED');
  const session = await startSession(ctx, user, actor, { ...origin, secondFactor: true });
  await recordAudit(ctx.db, { actor: { ...actor, type: 'user', id: user.id }, userId: user.id, action: 'second_factor.verified', target: { type: 'session', id: session.sessionId }, metadata: { method, at: 'login' } });
  return { session, next: pending.next, method };
}

/** Whether this session proved a second factor recently enough for a sensitive action (always, without a factor). */
export function isSecondFactorFresh(ctx: AppContext, user: SessionUser): boolean {
  if (user.secondFactorSince === null) return true;
  return (user.secondFactorAt ?? 0) > ctx.clock() - ctx.config.accounts.secondFactorFreshSeconds * 1000;
}

/** At the top of a sensitive action (key reveal, client-secret regeneration, account deletion). */
export function requireFreshSecondFactor(ctx: AppContext, user: SessionUser): void {
  if (!isSecondFactorFresh(ctx, user)) throw new TesseraError('SECOND_FACTOR_STALE');
}

/** A step-up: the session proves its second factor again, which covers sensitive actions for a while. */
export async function confirmSecondFactor(ctx: AppContext, user: SessionUser, proof: SecondFactorProof, actor: Actor): Promise<SecondFactorMethod> {
  const method = await checkSecondFactor(ctx, user, proof, actor);
  const now = ctx.clock();
  await security.markSessionSecondFactor(ctx.db, user.sessionId, now);
  user.secondFactorAt = now;
  await recordAudit(ctx.db, { actor, userId: user.id, action: 'second_factor.verified', target: { type: 'session', id: user.sessionId }, metadata: { method, at: 'step_up' } });
  return method;
}
