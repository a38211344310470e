import type { Actor, AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { limiterKeyOf } from '../http/client-address.js';
import { createSession, normaliseEmail } from './service.js';

/**
 * Logs in with email and password, for the JSON API and the HTML forms alike. Every attempt is
 * counted per email and per client address (IPv6 by /64) BEFORE the argon2 check, so a burst of
 * N parallel attempts against a limit of L lets at most L reach it; over either limit the attempt
 * is refused (429) unchecked. A success gives its reservation back (and clears the email's).
 */
export async function loginWithPassword(ctx: AppContext, input: { email: string; password: string }, actor: Actor) {
  const email = normaliseEmail(input.email);
  const ip = limiterKeyOf(actor.ip);
  const { perEmail, perIp } = ctx.limiters.login;
  const wait = Math.max(perEmail.retryAfter(email), perIp.retryAfter(ip));
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many login attempts. Try again in ${wait} seconds.`);
  // Reserved now, in the same synchronous step as the check: no await in between.
  perEmail.hit(email);
  perIp.hit(ip);
  try {
    const session = await createSession(ctx, { email, password: input.password }, actor);
    perEmail.reset(email);
    perIp.release(ip);
    return session;
  } catch (err) {
    // Only a wrong email or password counts: a failure of ours must not lock anyone out.
    if (!(err instanceof TesseraError && err.code === 'INVALID_LOGIN')) {
      perEmail.release(email);
      perIp.release(ip);
    }
    throw err;
  }
}
