import type { Config, Dialect } from './config.js';
import type { Db } from './db/database.js';
import type { ServerKeys } from './credentials/server-keys.js';
import type { UsageRecorder } from './credentials/usage-recorder.js';
import type { PasswordHasher } from './accounts/passwords.js';
import type { Limiters } from './http/limiters.js';
import type { WebhookSender } from './webhooks/sender.js';
import type { ClientCredentialsIssuer } from './oauth/client-credentials.js';
import type { TriggerScheduler } from './flows/trigger-scheduler.js';
import type { Mailer } from './accounts/mailer.js';
import type { SessionSeen } from './accounts/session-seen.js';
import type { LicenseVerify } from './licenses/verify/service.js';
import type { SigningKeyCache } from './licenses/license-file-keys.js';
import type { SaleEvents } from './sales/sale-events.js';
import type { SessionUser } from './accounts/service.js';
import type { TokenPrincipal } from './tokens/service.js';
import type { FlowSignals } from './flows/events.js';

export type { SessionUser, TokenPrincipal };

/**
 * Who is calling: the checks src/auth/plugin.ts's guards run, provided by the accounts (session)
 * and tokens (access token) domains and wired in src/bootstrap.ts, so auth imports neither.
 */
export interface Identities {
  /** The logged-in user of a session cookie, or null. */
  session(cookie: string | undefined, ip: string | null): Promise<SessionUser | null>;
  /** The instance requires a second factor this user has not set up yet. */
  mustSetUpSecondFactor(user: SessionUser): Promise<boolean>;
  /** The access token's principal; throws 401 for a missing, unknown or revoked token. */
  token(raw: string | undefined): Promise<TokenPrincipal>;
}

/** What every service needs: passed explicitly, never imported as a global. */
export interface AppContext {
  db: Db;
  dialect: Dialect;
  keys: ServerKeys;
  config: Config;
  /** Batches "last used" timestamps of credentials: no write on the hot path. */
  usage: UsageRecorder;
  /** argon2id at the configured cost; its dummy hash is made lazily. */
  passwords: PasswordHasher;
  /** Every rate limiter (src/http/limiters.ts): bounded; the shared ones count in the database. */
  limiters: Limiters;
  /** The token endpoint's client_credentials writes, group-committed (src/oauth/client-credentials.ts). */
  clientCredentials: ClientCredentialsIssuer;
  /** Delivers the webhook outbox; the server starts it when ready and stops it on close. */
  webhooks: WebhookSender;
  /** Milliseconds since the epoch for expiring things (invitations, sessions, reset links, TOTP codes); tests move it by hand. */
  clock: () => number;
  /** Starts flows from their schedules and events, and is their clock; the server starts it when ready and stops it on close. */
  triggers: TriggerScheduler;
  /** Account email (src/accounts/mailer.ts): logged, sealed, and sent over SMTP off the request. */
  mail: Mailer;
  /** Batches sessions' "last seen" (at most one write a minute per session, off the request). */
  sessionsSeen: SessionSeen;
  /** License verification's parts: batcher, view cache, use tally, failure limiter (src/licenses/verify/service.ts). */
  licenseVerify: LicenseVerify;
  /** License files' decrypted signing keys by kid (src/licenses/license-file-keys.ts). */
  signingKeys: SigningKeyCache;
  /** Where sales announce sale events: the webhook outbox (src/sales/sale-events.ts). */
  saleEvents: SaleEvents;
  /** Wakes this context's flow workers when a run is queued, aborts a killed run's step at once (src/flows/events.ts). */
  flowSignals: FlowSignals;
  /** Session and access-token checks for the guards of src/auth/plugin.ts. */
  identities: Identities;
}

/** Who did something, for the audit log. */
export interface Actor {
  type: 'user' | 'token' | 'api_key' | 'system' | 'anonymous' | 'cli';
  id: string | null;
  ip: string | null;
}

export const CLI_ACTOR: Actor = { type: 'cli', id: null, ip: null };
