import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ServerKeys } from '../credentials/server-keys.js';
import { SharedLimiter, pruner, takeBatch } from './shared-limiter.js';

/**
 * Every rate limiter of the server, members of the application context. Each is a SharedLimiter,
 * counted in the database (rate_limit_counters) for every process and node, so an attacker cannot
 * multiply a limit by adding nodes (and a burst on one node gets no more than the limit either):
 * - `reserve` before a check, only failures written: logins, API-key reveals, second-factor codes,
 *   device-flow user codes;
 * - `countFailure` after the check (the hot path): failed license verifications;
 * - `take` / `takeAll`, every request counted: token requests, deep pages, password-reset requests,
 *   second-factor codes; on SQLite the takes of concurrent requests share one commit (takeBatch).
 * docs/security.md says what each one does.
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
  deviceGuesses: SharedLimiter;
  /** GET /v2/sales with a deep `page`, per client address (TESSERA_SALES_DEEP_PAGE_LIMIT_*). */
  salesDeepPage: SharedLimiter;
  /** Wrong second-factor codes (TOTP, recovery, passkey) per account and per client address, at sign-in and step-up alike. */
  secondFactor: { perUser: SharedLimiter; perIp: SharedLimiter };
  /** Password-reset requests per email and per client address: a mailbox is not to be flooded. */
  passwordReset: { perEmail: SharedLimiter; perIp: SharedLimiter };
  /** Resolves once every take waiting for its commit has been answered (shutdown). */
  idle(): Promise<void>;
}

/** `clock` is read on every count (tests move the context's clock by hand). */
export function createLimiters(ctx: { config: Config; db: Db; keys: ServerKeys; clock: () => number }): Limiters {
  const { config } = ctx;
  const capacity = config.rateLimitCapacity;
  const clock = () => ctx.clock();
  const { dialect } = config;
  const takes = dialect === 'sqlite' ? takeBatch(ctx.db, dialect) : undefined;
  const deps = { db: ctx.db, dialect, keys: ctx.keys, clock, capacity, pruneSoon: pruner(ctx.db, clock), takes };
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
    deviceGuesses: shared('device_guesses', 20, 15 * 60),
    salesDeepPage: shared('sales_deep_page', salesDeepPageLimit.perIp, salesDeepPageLimit.windowSeconds),
    secondFactor: { perUser: shared('second_factor_user', 5, 15 * 60), perIp: shared('second_factor_ip', 20, 15 * 60) },
    passwordReset: { perEmail: shared('password_reset_email', 3, 60 * 60), perIp: shared('password_reset_ip', 10, 60 * 60) },
    idle: async () => takes?.idle(),
  };
}
