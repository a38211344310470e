import type { AppContext } from '../context.js';
import { RateLimiter } from '../http/rate-limiter.js';

const limiters = new WeakMap<AppContext, RateLimiter>();

/**
 * Failed verifications per client IP (TESSERA_LICENSE_VERIFY_FAILURES_PER_IP per
 * TESSERA_LICENSE_VERIFY_FAILURE_WINDOW seconds): imported keys can be short enough to guess.
 */
export function verifyFailureLimiter(ctx: AppContext): RateLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) {
    const { failuresPerIp, windowSeconds } = ctx.config.licenseVerifyLimit;
    limiters.set(ctx, (limiter = new RateLimiter(failuresPerIp, windowSeconds * 1000)));
  }
  return limiter;
}
