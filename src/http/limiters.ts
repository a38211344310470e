import type { Config } from '../config.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Every rate limiter of the server, members of the application context (one set per server, so
 * two servers in one process never share counts). docs/security.md says what each one does.
 */
export interface Limiters {
  /** Failed logins per email and per client address (TESSERA_LOGIN_LIMIT_*). */
  login: { perEmail: RateLimiter; perIp: RateLimiter };
  /** Wrong passwords per user before API-key reveals pause: a stolen session must not guess it. */
  reveal: RateLimiter;
  /** Failed license verifications per client address (TESSERA_LICENSE_VERIFY_FAILURE*). */
  verifyFailures: RateLimiter;
  /** Requests to /oauth/token per client address and per client_id (TESSERA_OAUTH_TOKEN_LIMIT_*). */
  oauthToken: { perClient: RateLimiter; perIp: RateLimiter };
  /** Wrong device-flow user codes per user: guessing a 34-bit code stays hopeless (RFC 8628 §5.1). */
  deviceGuesses: RateLimiter;
  /** GET /v2/sales with a deep `page`, per client address (TESSERA_SALES_DEEP_PAGE_LIMIT_*). */
  salesDeepPage: RateLimiter;
  /** Wrong second-factor codes (TOTP, recovery, passkey) per account and per client address, at sign-in and step-up alike. */
  secondFactor: { perUser: RateLimiter; perIp: RateLimiter };
  /** Password-reset requests per email and per client address: a mailbox is not to be flooded. */
  passwordReset: { perEmail: RateLimiter; perIp: RateLimiter };
}

export function createLimiters(config: Config): Limiters {
  const capacity = config.rateLimitCapacity;
  const limiter = (limit: number, windowSeconds: number) => new RateLimiter(limit, windowSeconds * 1000, capacity);
  const { loginLimit, licenseVerifyLimit, oauth, salesDeepPageLimit } = config;
  return {
    login: { perEmail: limiter(loginLimit.perEmail, loginLimit.windowSeconds), perIp: limiter(loginLimit.perIp, loginLimit.windowSeconds) },
    reveal: limiter(5, 15 * 60),
    verifyFailures: limiter(licenseVerifyLimit.failuresPerIp, licenseVerifyLimit.windowSeconds),
    oauthToken: { perClient: limiter(oauth.tokenLimitPerClient, oauth.tokenLimitWindowSeconds), perIp: limiter(oauth.tokenLimitPerIp, oauth.tokenLimitWindowSeconds) },
    deviceGuesses: limiter(20, 15 * 60),
    salesDeepPage: limiter(salesDeepPageLimit.perIp, salesDeepPageLimit.windowSeconds),
    secondFactor: { perUser: limiter(5, 15 * 60), perIp: limiter(20, 15 * 60) },
    passwordReset: { perEmail: limiter(3, 60 * 60), perIp: limiter(10, 60 * 60) },
  };
}
