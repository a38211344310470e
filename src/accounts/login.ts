import type { Actor, AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { limiterKeyOf } from '../http/client-address.js';
import { normaliseEmail } from '../util/email.js';
import { startSession, verifyPassword, type User, type VerifiedUser } from './service.js';
import { startLoginChallenge } from './second-factor.js';

/** A right password: a session, or (with a second factor) the login challenge to answer first. */
export type LoginOutcome =
  | { kind: 'session'; user: User; token: string; sessionId: string; expiresAt: number }
  | { kind: 'second_factor'; user: User; secret: string; expiresAt: number };

/**
 * Logs in with email and password, for the JSON API and the HTML forms alike. Every attempt is
 * reserved per email and per client address (IPv6 by /64) BEFORE the argon2 check, so a burst of
 * N parallel attempts against a limit of L lets at most L reach it; over either limit the attempt
 * is refused (429) unchecked. Failures are counted in the database (src/http/shared-limiter.ts),
 * so the limit holds across processes and nodes; a success gives its reservation back (and clears
 * the email's failures).
 * An account with a second factor gets no session here: src/accounts/second-factor.ts finishes.
 */
export async function loginWithPassword(
  ctx: AppContext,
  input: { email: string; password: string },
  actor: Actor,
  options: { next?: string; userAgent?: string | null } = {},
): Promise<LoginOutcome> {
  const email = normaliseEmail(input.email);
  const ip = limiterKeyOf(actor.ip);
  const { perEmail, perIp } = ctx.limiters.login;
  // Reserved before the argon2 check, counted in the database only if it fails (shared limits).
  const byEmail = await perEmail.reserve(email);
  const byIp = byEmail.wait > 0 ? byEmail : await perIp.reserve(ip);
  const wait = Math.max(byEmail.wait, byIp.wait);
  if (wait > 0) {
    byEmail.release();
    throw TesseraError.rateLimited(wait, `Too many login attempts. Try again in ${wait} seconds.`);
  }
  let user: VerifiedUser;
  try {
    user = await verifyPassword(ctx, { email, password: input.password }, actor);
  } catch (err) {
    // Only a wrong email or password counts: a failure of ours must not lock anyone out.
    if (err instanceof TesseraError && err.code === 'INVALID_LOGIN') await Promise.all([byEmail.fail(), byIp.fail()]);
    else {
      byEmail.release();
      byIp.release();
    }
    throw err;
  }
  // A right password clears the email's failures (a write only when there were some).
  await byEmail.clear();
  byIp.release();
  if (user.secondFactorSince != null) {
    const challenge = await startLoginChallenge(ctx, user, options.next ?? '/');
    return { kind: 'second_factor', user: { id: user.id, email: user.email }, ...challenge };
  }
  const session = await startSession(ctx, user, actor, { userAgent: options.userAgent ?? null });
  return { kind: 'session', ...session };
}
