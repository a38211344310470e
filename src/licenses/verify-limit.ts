import type { AppContext } from '../context.js';
import { limiterKeyOf } from '../http/client-address.js';

/** The failed-verification limiter, keyed by client address (IPv6 by /64). */
export interface VerifyFailureLimiter {
  retryAfter(ip: string): number;
  hit(ip: string): void;
}

/**
 * Failed verifications per client address (TESSERA_LICENSE_VERIFY_FAILURES_PER_IP per
 * TESSERA_LICENSE_VERIFY_FAILURE_WINDOW seconds; 1,000 per 10 minutes by default): imported keys
 * can be short enough to guess, generated ones carry 128 random bits. The default is high enough
 * that the buyers behind one shared address (an office, a carrier NAT, a backend) never trip it
 * with their occasional typos. The limiter itself lives in the application context.
 */
export function verifyFailureLimiter(ctx: AppContext): VerifyFailureLimiter {
  const limiter = ctx.limiters.verifyFailures;
  return {
    retryAfter: (ip) => limiter.retryAfter(limiterKeyOf(ip)),
    hit: (ip) => limiter.hit(limiterKeyOf(ip)),
  };
}
