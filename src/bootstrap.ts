import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { loadServerSecret } from './credentials/server-secret.js';
import { deriveServerKeys } from './credentials/server-keys.js';
import { UsageRecorder } from './credentials/usage-recorder.js';
import { PasswordHasher } from './accounts/passwords.js';
import { openStorage } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLimiters } from './http/limiters.js';
import { WebhookSender } from './webhooks/sender.js';
import { enqueueSaleEvent } from './webhooks/events.js';
import { clientCredentialsIssuer, type ClientCredentialsIssuer } from './oauth/client-credentials.js';
import { TriggerScheduler } from './flows/trigger-scheduler.js';
import { Mailer } from './accounts/mailer.js';
import { SessionSeen } from './accounts/session-seen.js';
import { findSessionUser } from './accounts/service.js';
import { mustSetUpSecondFactor } from './accounts/second-factor-policy.js';
import { authenticateAccessToken } from './tokens/service.js';
import { createLicenseVerify, type LicenseVerify } from './licenses/verify/service.js';
import { FlowSignals } from './flows/events.js';

/** Opens the database, applies migrations and derives the keys: shared by server and CLI. */
export async function createContext(config: Config): Promise<AppContext & { close(): Promise<void> }> {
  const keys = deriveServerKeys(loadServerSecret(config));
  const storage = openStorage(config.dialect, config.databaseUrl);
  try {
    await migrateToLatest(storage.db, keys);
  } catch (err) {
    await storage.close();
    throw err;
  }
  const usage = new UsageRecorder(storage.db);
  const ctx: AppContext & { close(): Promise<void> } = {
    db: storage.db,
    dialect: storage.dialect,
    keys,
    config,
    usage,
    passwords: new PasswordHasher(config.passwordCost),
    limiters: undefined as unknown as AppContext['limiters'],
    webhooks: undefined as unknown as WebhookSender,
    clientCredentials: undefined as unknown as ClientCredentialsIssuer,
    clock: Date.now,
    triggers: undefined as unknown as TriggerScheduler,
    mail: undefined as unknown as Mailer,
    sessionsSeen: new SessionSeen(storage.db),
    signingKeys: new Map(),
    flowSignals: new FlowSignals(),
    identities: {
      session: (cookie, ip) => findSessionUser(ctx, cookie, ip),
      mustSetUpSecondFactor: (user) => mustSetUpSecondFactor(ctx, user),
      token: (raw) => authenticateAccessToken(ctx, raw),
    },
    saleEvents: { announce: (trx, purchase, event) => enqueueSaleEvent(trx, ctx, purchase, event) },
    licenseVerify: undefined as unknown as LicenseVerify,
    async close() {
      await ctx.webhooks.stop().catch(() => undefined);
      await ctx.clientCredentials.idle().catch(() => undefined);
      await ctx.limiters.idle().catch(() => undefined);
      await ctx.triggers.stop().catch(() => undefined);
      await ctx.mail.settled().catch(() => undefined);
      await ctx.sessionsSeen.flush().catch(() => undefined);
      await usage.flush().catch(() => undefined);
      await storage.close();
    },
  };
  ctx.limiters = createLimiters(ctx);
  ctx.licenseVerify = createLicenseVerify(ctx);
  ctx.webhooks = new WebhookSender(ctx);
  ctx.clientCredentials = clientCredentialsIssuer(ctx);
  ctx.triggers = new TriggerScheduler(ctx);
  ctx.mail = new Mailer(ctx);
  return ctx;
}
