import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { limiterKeyOf } from '../http/client-address.js';
import { TesseraError } from '../http/errors.js';
import { takeAll } from '../http/shared-limiter.js';
import { findAccountToken, issueAccountToken } from './account-tokens.js';
import { passwordChangedMail, passwordResetMail } from './mail-templates.js';
import { confirmOwnPassword } from './own-password.js';
import { assertAcceptablePassword } from './password-policy.js';
import * as security from './security-store.js';
import { normaliseEmail } from '../util/email.js';
import type { SessionUser } from './service.js';
import * as accounts from './store.js';

/**
 * Passwords after sign-up: changed in the dashboard (the current one required, every other
 * session signed out), reset through an emailed single-use link, or set by the operator
 * (`tessera user password`). A new password passes the same length and breached-list checks
 * as at sign-up (src/accounts/password-policy.ts).
 */

/**
 * Asks for a reset link. The answer never says whether the address has an account: the lookup,
 * the link and the email all happen after the response (ctx.mail.background), so both cases
 * answer the same, in the same time. Requests are limited per address and per client (429),
 * each counted in the database by one atomic conditional upsert (SharedLimiter.take): of a burst
 * on any number of processes and nodes at most the limit asks for mail.
 */
export async function requestPasswordReset(ctx: AppContext, emailInput: string, actor: Actor): Promise<void> {
  const email = normaliseEmail(emailInput);
  const { perEmail, perIp } = ctx.limiters.passwordReset;
  const ip = limiterKeyOf(actor.ip);
  // The address first: a flood of one mailbox is refused there and costs its sender's count nothing.
  // Both or neither: refused for the client, the mailbox's request is not used either.
  const wait = await takeAll([[perEmail, email], [perIp, ip]]);
  if (wait > 0) {
    throw TesseraError.rateLimited(wait, `Too many reset requests. Try again in ${Math.ceil(wait / 60)} minutes.`);
  }
  ctx.mail.background(async () => {
    const user = await accounts.findUserByEmail(ctx.db, email);
    if (!user) return;
    const ttl = ctx.config.accounts.passwordResetSeconds;
    const token = await issueAccountToken(ctx, ctx.db, user.id, 'password_reset', ttl);
    const link = `${ctx.config.publicUrl}/password/reset?token=${token}`;
    const content = passwordResetMail({ link, minutes: Math.max(1, Math.round(ttl / 60)), server: new URL(ctx.config.publicUrl).host });
    await ctx.mail.send({ userId: user.id, kind: 'password_reset', to: user.email, ...content, secrets: [token] });
    await recordAudit(ctx.db, { actor, userId: user.id, action: 'password.reset_requested', target: { type: 'user', id: user.id } });
  });
}

/** Whether a reset link still works (the page shows its form or says why not). */
export async function resetLinkIsLive(ctx: AppContext, token: unknown): Promise<boolean> {
  return (await findAccountToken(ctx, ctx.db, token, 'password_reset')) !== null;
}

/** Sets a new password through a reset link: the link is used up and every session ends. */
export async function resetPassword(ctx: AppContext, token: unknown, password: string, actor: Actor): Promise<{ email: string; sessionsEnded: number }> {
  const found = await findAccountToken(ctx, ctx.db, token, 'password_reset');
  if (!found) throw new TesseraError('RESET_LINK_INVALID');
  assertAcceptablePassword(password, found.email);
  const hash = await ctx.passwords.hash(password);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock();
    if (!(await security.useAccountToken(trx, found.id, now))) throw new TesseraError('RESET_LINK_INVALID');
    await security.setPasswordHash(trx, found.user_id, hash, now);
    await security.retireAccountTokens(trx, found.user_id, 'password_reset', now);
    // The link proved the mailbox.
    await security.setEmailVerified(trx, found.user_id, now);
    const sessionsEnded = await security.deleteOtherSessions(trx, found.user_id, null);
    await recordAudit(trx, { actor: { ...actor, type: 'user', id: found.user_id }, userId: found.user_id, action: 'password.reset', target: { type: 'user', id: found.user_id }, metadata: { sessions_ended: sessionsEnded } });
    return { email: found.email, sessionsEnded };
  });
  await ctx.limiters.login.perEmail.reset(found.email);
  return result;
}

/**
 * Changes the password of the signed-in account: the current one must be right (wrong ones are
 * counted per account, the limit API-key reveals share, so a stolen session cannot guess it);
 * every other session is signed out.
 */
export async function changePassword(ctx: AppContext, user: SessionUser, input: { current: string; next: string }, actor: Actor): Promise<{ otherSessionsEnded: number }> {
  await confirmOwnPassword(ctx, user, input.current, actor, 'Your current password is not correct.');
  if (input.next === input.current) throw new TesseraError('PASSWORD_REJECTED', 'Choose a new password, different from the current one.');
  assertAcceptablePassword(input.next, user.email);
  const hash = await ctx.passwords.hash(input.next);
  const otherSessionsEnded = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock();
    await security.setPasswordHash(trx, user.id, hash, now);
    await security.retireAccountTokens(trx, user.id, 'password_reset', now);
    const ended = await security.deleteOtherSessions(trx, user.id, user.sessionId);
    await recordAudit(trx, { actor, userId: user.id, action: 'password.changed', target: { type: 'user', id: user.id }, metadata: { other_sessions_ended: ended } });
    return ended;
  });
  const content = passwordChangedMail({ when: new Date(ctx.clock()).toUTCString(), server: new URL(ctx.config.publicUrl).host, resetUrl: `${ctx.config.publicUrl}/password/forgot` });
  await ctx.mail.send({ userId: user.id, kind: 'password_changed', to: user.email, ...content, secrets: [] });
  return { otherSessionsEnded };
}

/** `tessera user password EMAIL`: the operator sets a password (no email needed); every session ends. */
export async function setPasswordAsOperator(ctx: AppContext, emailInput: string, password: string, actor: Actor): Promise<{ email: string; sessionsEnded: number }> {
  const email = normaliseEmail(emailInput);
  const user = await accounts.findUserByEmail(ctx.db, email);
  if (!user) throw new TesseraError('USER_NOT_FOUND');
  assertAcceptablePassword(password, email);
  const hash = await ctx.passwords.hash(password);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock();
    await security.setPasswordHash(trx, user.id, hash, now);
    await security.retireAccountTokens(trx, user.id, 'password_reset', now);
    const sessionsEnded = await security.deleteOtherSessions(trx, user.id, null);
    await recordAudit(trx, { actor, userId: user.id, action: 'password.set_by_operator', target: { type: 'user', id: user.id }, metadata: { sessions_ended: sessionsEnded } });
    return { email, sessionsEnded };
  });
}
