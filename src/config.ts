import os from 'node:os';
import path from 'node:path';
import { loadAdminSettings, type AdminSettings } from './admin/settings.js';
import { loadFlowSettings, type FlowSettings } from './flows/settings.js';
import { OWASP_ARGON2ID, type PasswordCost } from './accounts/passwords.js';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.js';
import { loadHttpTimeouts, type HttpTimeouts } from './http/timeouts.js';
import { loadWebhookSettings, type WebhookSettings } from './webhooks/settings.js';
import { loadAccountSettings, type AccountSettings } from './accounts/settings.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Config {
  host: string;
  port: number;
  /** Folder for the default SQLite file and the generated server secret. */
  dataDir: string;
  dialect: Dialect;
  /** SQLite file path, or the PostgreSQL connection string. */
  databaseUrl: string;
  /** TESSERA_SECRET when set; otherwise read from (or created in) dataDir/secret for SQLite. */
  secret: string | undefined;
  /** Public base URL used in links the server hands out (trigger URLs, OAuth metadata). */
  publicUrl: string;
  /** Set the Secure flag on cookies (on when publicUrl is https). */
  secureCookies: boolean;
  /** Behind reverse proxies: false, a hop count, or the proxies' addresses/CIDRs (src/http/trust-proxy.ts). */
  trustProxy: TrustProxy;
  /** Allow outgoing requests (flows, resource subscriptions) to loopback and private addresses. */
  allowPrivateTargets: boolean;
  logLevel: string;
  /** Worker, flow limits and SMTP (src/flows/settings.ts documents each variable). */
  flows: FlowSettings;
  loginLimit: { perEmail: number; perIp: number; windowSeconds: number };
  /** Failed license verifications allowed per client IP and window (POST /v2/licenses/verify). */
  licenseVerifyLimit: { failuresPerIp: number; windowSeconds: number };
  /** License views kept in memory for verification (src/licenses/verify/cache.ts); 0 turns it off. */
  licenseCacheSize: number;
  /** Seconds an offline license file is valid when its product sets no TTL (src/licenses/license-file-service.ts). */
  licenseFileTtl: number;
  /** GET /v2/sales with the deprecated `page` beyond 10 (deep offsets): requests per client IP and window. */
  salesDeepPageLimit: { perIp: number; windowSeconds: number };
  /** OAuth server (src/oauth): /oauth/token rate limits and the refresh-token reuse interval. */
  oauth: { tokenLimitPerClient: number; tokenLimitPerIp: number; tokenLimitWindowSeconds: number; refreshReuseSeconds: number };
  /** Server processes `npm start` runs on this machine, sharing the port (src/cluster.ts); 1 = no cluster. */
  workers: number;
  /** Verifications waiting or running at once per server before verify answers 503 (src/licenses/verify/batcher.ts). */
  licenseVerifyQueueLimit: number;
  /** Milliseconds counted uses may stay in the SQLite use log before a background fold (src/licenses/verify/tally.ts). */
  licenseUseFoldDelayMs: number;
  /** argon2id cost for account passwords (src/accounts/passwords.ts); OWASP's by default. */
  passwordCost: PasswordCost;
  /** Keys each rate limiter remembers (least recently used forgotten first): TESSERA_RATE_LIMIT_CAPACITY. */
  rateLimitCapacity: number;
  /** Request, connection and keep-alive timeouts (src/http/timeouts.ts). */
  httpTimeouts: HttpTimeouts;
  /** Webhook delivery of resource subscriptions (src/webhooks/settings.ts documents each variable). */
  webhooks: WebhookSettings;
  /** Sign-up policy, invitations and capability defaults (src/admin/settings.ts documents each variable). */
  admin: AdminSettings;
  /** Sessions, second factors, reset and verification links (src/accounts/settings.ts documents each variable). */
  accounts: AccountSettings;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** TESSERA_WORKERS: a whole number ≥ 1, or `auto` for one per available core. */
function workersFrom(value: string | undefined): number {
  if (value === 'auto') return os.availableParallelism();
  const n = intFrom(value, 1, 'TESSERA_WORKERS');
  if (n < 1) throw new Error(`TESSERA_WORKERS must be at least 1 or "auto", got "${value}"`);
  return n;
}

function positiveIntFrom(value: string | undefined, fallback: number, name: string): number {
  const n = intFrom(value, fallback, name);
  if (n === 0) throw new Error(`${name} must be at least 1, got "${value}"`);
  return n;
}

/** Reads every setting from the environment. README documents each variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = intFrom(env.PORT, 3000, 'PORT');
  const dataDir = path.resolve(env.TESSERA_DATA_DIR || './data');
  const raw = env.DATABASE_URL || '';
  let dialect: Dialect = 'sqlite';
  let databaseUrl = path.join(dataDir, 'tessera.db');
  if (/^postgres(ql)?:\/\//.test(raw)) {
    dialect = 'postgres';
    databaseUrl = raw;
  } else if (raw.startsWith('file:')) {
    databaseUrl = path.resolve(raw.slice('file:'.length));
  } else if (raw !== '') {
    throw new Error('DATABASE_URL must start with postgres://, postgresql:// or file:');
  }
  const publicUrl = (env.TESSERA_PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir,
    dialect,
    databaseUrl,
    secret: env.TESSERA_SECRET || undefined,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: parseTrustProxy(env.TESSERA_TRUST_PROXY),
    allowPrivateTargets: env.TESSERA_ALLOW_PRIVATE_TARGETS === '1' || env.TESSERA_ALLOW_PRIVATE_TARGETS === 'true',
    logLevel: env.LOG_LEVEL || 'info',
    flows: loadFlowSettings(env),
    loginLimit: {
      perEmail: intFrom(env.TESSERA_LOGIN_LIMIT_PER_EMAIL, 10, 'TESSERA_LOGIN_LIMIT_PER_EMAIL'),
      perIp: intFrom(env.TESSERA_LOGIN_LIMIT_PER_IP, 50, 'TESSERA_LOGIN_LIMIT_PER_IP'),
      windowSeconds: intFrom(env.TESSERA_LOGIN_LIMIT_WINDOW, 900, 'TESSERA_LOGIN_LIMIT_WINDOW'),
    },
    licenseVerifyLimit: {
      failuresPerIp: intFrom(env.TESSERA_LICENSE_VERIFY_FAILURES_PER_IP, 1000, 'TESSERA_LICENSE_VERIFY_FAILURES_PER_IP'),
      windowSeconds: intFrom(env.TESSERA_LICENSE_VERIFY_FAILURE_WINDOW, 600, 'TESSERA_LICENSE_VERIFY_FAILURE_WINDOW'),
    },
    licenseCacheSize: intFrom(env.TESSERA_LICENSE_CACHE_SIZE, 50_000, 'TESSERA_LICENSE_CACHE_SIZE'),
    licenseFileTtl: intFrom(env.TESSERA_LICENSE_FILE_TTL, 30 * 24 * 3600, 'TESSERA_LICENSE_FILE_TTL'),
    salesDeepPageLimit: {
      perIp: intFrom(env.TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP, 10, 'TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP'),
      windowSeconds: intFrom(env.TESSERA_SALES_DEEP_PAGE_LIMIT_WINDOW, 1, 'TESSERA_SALES_DEEP_PAGE_LIMIT_WINDOW'),
    },
    oauth: {
      tokenLimitPerClient: intFrom(env.TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT, 600, 'TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT'),
      tokenLimitPerIp: intFrom(env.TESSERA_OAUTH_TOKEN_LIMIT_PER_IP, 300, 'TESSERA_OAUTH_TOKEN_LIMIT_PER_IP'),
      tokenLimitWindowSeconds: intFrom(env.TESSERA_OAUTH_TOKEN_LIMIT_WINDOW, 60, 'TESSERA_OAUTH_TOKEN_LIMIT_WINDOW'),
      refreshReuseSeconds: intFrom(env.TESSERA_OAUTH_REFRESH_REUSE_SECONDS, 10, 'TESSERA_OAUTH_REFRESH_REUSE_SECONDS'),
    },
    workers: workersFrom(env.TESSERA_WORKERS),
    licenseVerifyQueueLimit: positiveIntFrom(env.TESSERA_LICENSE_VERIFY_QUEUE_LIMIT, 10_000, 'TESSERA_LICENSE_VERIFY_QUEUE_LIMIT'),
    licenseUseFoldDelayMs: intFrom(env.TESSERA_LICENSE_USE_FOLD_DELAY_MS, 2000, 'TESSERA_LICENSE_USE_FOLD_DELAY_MS'),
    passwordCost: passwordCostFrom(env),
    rateLimitCapacity: Math.max(1, intFrom(env.TESSERA_RATE_LIMIT_CAPACITY, 100_000, 'TESSERA_RATE_LIMIT_CAPACITY')),
    httpTimeouts: loadHttpTimeouts(env),
    webhooks: loadWebhookSettings(env),
    admin: loadAdminSettings(env),
    accounts: loadAccountSettings(env),
  };
}

/** TESSERA_ARGON2_*: at least 1 iteration and 1 lane, and 8 KiB of memory per lane (argon2's floor). */
function passwordCostFrom(env: NodeJS.ProcessEnv): PasswordCost {
  const cost = {
    memoryKiB: intFrom(env.TESSERA_ARGON2_MEMORY_KIB, OWASP_ARGON2ID.memoryKiB, 'TESSERA_ARGON2_MEMORY_KIB'),
    timeCost: intFrom(env.TESSERA_ARGON2_TIME_COST, OWASP_ARGON2ID.timeCost, 'TESSERA_ARGON2_TIME_COST'),
    parallelism: intFrom(env.TESSERA_ARGON2_PARALLELISM, OWASP_ARGON2ID.parallelism, 'TESSERA_ARGON2_PARALLELISM'),
  };
  if (cost.timeCost < 1) throw new Error('TESSERA_ARGON2_TIME_COST must be at least 1');
  if (cost.parallelism < 1 || cost.parallelism > 255) throw new Error('TESSERA_ARGON2_PARALLELISM must be between 1 and 255');
  if (cost.memoryKiB < 8 * cost.parallelism) throw new Error(`TESSERA_ARGON2_MEMORY_KIB must be at least 8 per lane (${8 * cost.parallelism})`);
  return cost;
}
