import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ServerKeys } from '../credentials/server-keys.js';
import { RateLimiter } from './rate-limiter.js';
import { SharedLimiter, pruner } from './shared-limiter.js';

/**
 * Every rate limiter of the server, members of the application context. The limits an attacker
 * could multiply by adding nodes (logins, reveals, failed verifications, token requests, deep
 * pages) are SharedLimiters, counted in the database for every process and node; the others are
 * per process (RateLimiter). docs/security.md says what each one does.
 */
export interface Limiters {
  /** Failed logins per email and per client address (TESSERA_LOGIN_LIMIT_*). */
  login: { perEmail: SharedLimiter; perIp: SharedLimiter };
  /** Wrong passwords per user before API-key reveals pause: a stolen session must not guess it. */
  reveal: SharedLimiter;
  /** Failed license verifications per client address (TESSERA_LICENSE_VERIFY_FAILURE*). */
  verifyFailures: SharedLimiter;
  /** Requests to /oauth/token per client address and per client_id (TESSERA_OAUTH_TOKEN_LIMIT_*). */
  oauthToken: { perClient: SharedLimiter; perIp: SharedLimiter };
  /** Wrong device-flow user codes per user: guessing a 34-bit code stays hopeless (RFC 8628 §5.1). */
  deviceGuesses: RateLimiter;
  /** GET /v2/sales with a deep `page`, per client address (TESSERA_SALES_DEEP_PAGE_LIMIT_*). */
  salesDeepPage: SharedLimiter;
  /** Wrong second-factor codes (TOTP, recovery, passkey) per account and per client address, at sign-in and step-up alike. */
  secondFactor: { perUser: RateLimiter; perIp: RateLimiter };
  /** Password-reset requests per email and per client address: a mailbox is not to be flooded. */
  passwordReset: { perEmail: RateLimiter; perIp: RateLimiter };
}

/** `clock` is read on every count (tests move the context's clock by hand). */
export function createLimiters(ctx: { config: Config; db: Db; keys: ServerKeys; clock: () => number }): Limiters {
  const { config } = ctx;
  const capacity = config.rateLimitCapacity;
  const limiter = (limit: number, windowSeconds: number) => new RateLimiter(limit, windowSeconds * 1000, capacity);
  const clock = () => ctx.clock();
  const deps = { db: ctx.db, keys: ctx.keys, clock, capacity, pruneSoon: pruner(ctx.db, clock) };
  const shared = (name: string, limit: number, windowSeconds: number) => new SharedLimiter(name, limit, windowSeconds * 1000, deps);
  const { loginLimit, licenseVerifyLimit, oauth, salesDeepPageLimit } = config;
  return {
    login: { perEmail: shared('login_email', loginLimit.perEmail, loginLimit.windowSeconds), perIp: shared('login_ip', loginLimit.perIp, loginLimit.windowSeconds) },
    reveal: shared('password_user', 5, 15 * 60),
    verifyFailures: shared('verify_failures', licenseVerifyLimit.failuresPerIp, licenseVerifyLimit.windowSeconds),
    oauthToken: {
      perClient: shared('token_client', oauth.tokenLimitPerClient, oauth.tokenLimitWindowSeconds),
      perIp: shared('token_ip', oauth.tokenLimitPerIp, oauth.tokenLimitWindowSeconds),
    },
    deviceGuesses: limiter(20, 15 * 60),
    salesDeepPage: shared('sales_deep_page', salesDeepPageLimit.perIp, salesDeepPageLimit.windowSeconds),
    secondFactor: { perUser: limiter(5, 15 * 60), perIp: limiter(20, 15 * 60) },
    passwordReset: { perEmail: limiter(3, 60 * 60), perIp: limiter(10, 60 * 60) },
  };
}
