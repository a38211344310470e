import type { Actor, AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { createSession, normaliseEmail } from './service.js';

interface LoginLimiters {
  perEmail: RateLimiter;
  perIp: RateLimiter;
}
const limitersByContext = new WeakMap<AppContext, LoginLimiters>();

function limiters(ctx: AppContext): LoginLimiters {
  let l = limitersByContext.get(ctx);
  if (!l) {
    const { perEmail, perIp, windowSeconds } = ctx.config.loginLimit;
    l = { perEmail: new RateLimiter(perEmail, windowSeconds * 1000), perIp: new RateLimiter(perIp, windowSeconds * 1000) };
    limitersByContext.set(ctx, l);
  }
  return l;
}

/**
 * Logs in with email and password, for the JSON API and the HTML forms alike. Failed attempts
 * count per email and per IP; over either limit the attempt is refused (429) before the
 * password is even checked, so guessing stays slow whatever the password.
 */
export async function loginWithPassword(ctx: AppContext, input: { email: string; password: string }, actor: Actor) {
  const email = normaliseEmail(input.email);
  const ip = actor.ip ?? 'unknown';
  const { perEmail, perIp } = limiters(ctx);
  const wait = Math.max(perEmail.retryAfter(email), perIp.retryAfter(ip));
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many login attempts. Try again in ${wait} seconds.`);
  try {
    const session = await createSession(ctx, { email, password: input.password }, actor);
    perEmail.reset(email);
    return session;
  } catch (err) {
    if (err instanceof TesseraError && err.code === 'INVALID_LOGIN') {
      perEmail.hit(email);
      perIp.hit(ip);
    }
    throw err;
  }
}
