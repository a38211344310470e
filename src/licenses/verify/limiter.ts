import { limiterKeyOf } from '../../http/client-address.js';
import type { Limiters } from '../../http/limiters.js';

/** The failed-verification limiter, keyed by client address (IPv6 by /64). */
export interface VerifyFailureLimiter {
  /** Seconds the address must wait as far as this process knows, without a query (0: go ahead). */
  retryAfter(ip: string): number;
  /**
   * Counts a failure for every node (one upsert); the seconds to wait when this failure went over
   * the limit (answer it 429), else 0. A database error here never hides the failure's own answer.
   */
  hit(ip: string): Promise<number>;
}

/**
 * Failed verifications per client address (TESSERA_LICENSE_VERIFY_FAILURES_PER_IP per
 * TESSERA_LICENSE_VERIFY_FAILURE_WINDOW seconds; 1,000 per 10 minutes by default): imported keys
 * can be short enough to guess, generated ones carry 128 random bits. The default is high enough
 * that the buyers behind one shared address (an office, a carrier NAT, a backend) never trip it
 * with their occasional typos. Counted in the database (ctx.limiters.verifyFailures, a
 * SharedLimiter): a success reads and writes nothing, the limit holds across nodes. Made once per
 * context (ctx.licenseVerify.limiter).
 */
export function verifyFailureLimiter(limiters: Pick<Limiters, 'verifyFailures'>): VerifyFailureLimiter {
  const limiter = limiters.verifyFailures;
  return {
    retryAfter: (ip) => limiter.blockedFor(limiterKeyOf(ip)),
    hit: (ip) => limiter.countFailure(limiterKeyOf(ip)).catch(() => 0),
  };
}
