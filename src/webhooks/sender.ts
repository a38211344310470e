import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import { parseScopes } from '../auth/scopes.js';
import type { AppContext } from '../context.js';
import { BlockedTargetError, guardedLookup, isPrivateAddress } from '../http/net-guard.js';
import { newId } from '../util/ids.js';
import { PollLoop } from '../util/poll-loop.js';
import { liveTokenScopes } from './application-store.js';
import * as deliveries from './delivery-store.js';
import { CONTENT_TYPES, encodeBody, wireFormatFor } from './encode.js';
import { openPayload } from './outbox.js';
import { liveSecrets } from './secrets.js';
import { signedHeaders } from './sign.js';

export interface SenderLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SenderOptions {
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  clock?: () => number;
  /** In [0, 1): the backoff's jitter; tests may fix it. */
  random?: () => number;
}

/** What one attempt came to. */
interface Outcome {
  status: number | null;
  error: string | null;
  retryable: boolean;
}

type Claimed = deliveries.ClaimedDelivery;

const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 6 * 3600_000;
const SWEEP_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 3600_000;
const silent: SenderLogger = { info() {}, warn() {}, error() {} };

/** Backoff after the n-th failed attempt (1-based): 1, 2, 4… minutes up to 6 hours, ±20 % jitter. */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Status codes worth another try: server errors, 499 (client closed), 408 and 429. */
const retryableStatus = (status: number) => status >= 500 || status === 499 || status === 408 || status === 429;

/**
 * Delivers the webhook outbox (src/webhooks/outbox.ts), at least once. Each round claims due
 * rows by leasing them in one transaction (PostgreSQL: FOR UPDATE SKIP LOCKED, so several
 * servers never claim the same attempt; SQLite: the transaction is BEGIN IMMEDIATE, so claims
 * are serialised across processes), POSTs them signed, records the attempt and either finishes
 * the row or schedules the next attempt with exponential backoff and jitter until the retry
 * window (TESSERA_WEBHOOK_RETRY_HOURS) is over. A lease outlives the request timeout; a lease
 * held by a process of this host that no longer exists is released at once, so a server killed
 * mid-send re-sends after restart. Deliveries whose application lost its last live token with
 * view_sales (or whose subscription was deleted) are skipped, checked at send time.
 */
export class WebhookSender {
  readonly id = `${os.hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  private readonly clock: () => number;
  private readonly random: () => number;
  private logger: SenderLogger = silent;
  /** A round that used every slot may have left due deliveries: the next one starts at once. */
  private readonly loop = new PollLoop(
    async () => (await this.runOnce()) >= this.settings.concurrency,
    () => this.settings.pollMs,
    (err) => this.logger.error({ err }, 'webhook sender: a delivery round failed'),
  );
  private lastSweep = -Infinity;
  private lastPrune = -Infinity;

  constructor(private readonly ctx: AppContext, options: SenderOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  private get settings() {
    return this.ctx.config.webhooks;
  }

  /** Starts polling (the server calls this when ready). */
  start(logger: SenderLogger = silent): void {
    this.logger = logger;
    this.loop.start();
  }

  /** Stops claiming; waits for the attempts in flight (each bounded by the request timeout). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks a started sender to look for due deliveries now (after an event committed). */
  trigger(): void {
    this.loop.kick();
  }

  /** One round: claims up to `concurrency` due deliveries, sends them in parallel. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    const now = this.clock();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.releaseDeadLeases(now);
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      const pruned = await this.prune(now);
      if (pruned > 0) this.logger.info({ pruned }, 'webhook sender: pruned old successful deliveries');
    }
    const claimed = await this.claim(now, this.settings.concurrency);
    await Promise.all(claimed.map((row) => this.deliver(row)));
    return claimed.length;
  }

  /** Sends every due delivery until none is left (tests, CLI). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) return total;
    }
  }

  private async claim(now: number, max: number): Promise<Claimed[]> {
    const postgres = this.ctx.dialect === 'postgres';
    const leaseUntil = now + this.settings.timeoutMs + 30_000;
    return this.ctx.db.transaction().execute(async (trx) => {
      const ids = await deliveries.dueDeliveryIds(trx, now, max, postgres);
      if (ids.length === 0) return [];
      await deliveries.leaseDeliveries(trx, ids, this.id, leaseUntil);
      return deliveries.leasedWithSubscriptions(trx, ids, this.id);
    });
  }

  /** Leases held by senders of this host whose process is gone (killed mid-send) end now. */
  private async releaseDeadLeases(now: number): Promise<void> {
    const leased = await deliveries.leasedPending(this.ctx.db, now);
    const host = os.hostname();
    const dead = leased.filter((r) => {
      const [h, pid] = (r.lease_owner ?? '').split(':');
      return h === host && Number(pid) !== process.pid && Number(pid) > 0 && !pidAlive(Number(pid));
    });
    for (const row of dead) {
      await deliveries.releaseLease(this.ctx.db, row.id, row.lease_owner);
    }
    if (dead.length > 0) this.logger.warn({ released: dead.length }, 'webhook sender: released deliveries leased by a stopped process');
  }

  /** Whether the subscribing application still holds a live token of the seller with view_sales (or account). */
  private async deliverable(row: Claimed, now: number): Promise<boolean> {
    const tokens = await liveTokenScopes(this.ctx.db, row.application_id, row.user_id, now);
    return tokens.some((t) => {
      const scopes = parseScopes(t.scopes);
      return scopes.includes('view_sales') || scopes.includes('account');
    });
  }

  private async deliver(row: Claimed): Promise<void> {
    const now = this.clock();
    try {
      if (row.deleted_at !== null) return await this.finish(row, 'skipped', null, 'Not sent: the resource subscription was deleted.', now);
      if (!(await this.deliverable(row, now))) {
        return await this.finish(row, 'skipped', null, 'Not sent: the application no longer holds a live access token with the view_sales scope.', now);
      }
      const secrets = await liveSecrets(this.ctx, row.subscription_id, now);
      const format = wireFormatFor(row.post_url);
      const body = encodeBody(JSON.parse(openPayload(this.ctx.keys, row.payload)) as Record<string, unknown>, format);
      const headers = {
        'content-type': CONTENT_TYPES[format],
        'user-agent': 'Tessera-Webhooks/1',
        ...signedHeaders(secrets, row.message_id, Math.floor(now / 1000), body),
      };
      const started = performance.now();
      const outcome = await this.post(row.post_url, headers, body);
      const duration = Math.round(performance.now() - started);
      await deliveries.insertAttempt(this.ctx.db, { id: newId(), delivery_id: row.id, attempted_at: now, status_code: outcome.status, duration_ms: duration, error: outcome.error });
      if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return await this.finish(row, 'succeeded', outcome.status, null, now);
      const deadline = row.window_start + this.settings.retryHours * 3600_000;
      if (!outcome.retryable || now >= deadline) {
        const why = outcome.retryable ? `${outcome.error ?? `HTTP ${outcome.status}`}; gave up after ${row.attempt_count} attempts` : outcome.error ?? `HTTP ${outcome.status}`;
        return await this.finish(row, 'failed', outcome.status, why, now);
      }
      const next = Math.min(now + retryDelayMs(row.attempt_count, this.random()), deadline);
      await deliveries.scheduleRetry(this.ctx.db, row.id, this.id, next, outcome.status, outcome.error);
    } catch (err) {
      // The lease runs out and another round retries; nothing is lost.
      this.logger.error({ err, delivery: row.external_id }, 'webhook sender: recording a delivery failed');
    }
  }

  private async finish(row: Claimed, state: 'succeeded' | 'failed' | 'skipped', status: number | null, error: string | null, now: number): Promise<void> {
    await deliveries.finishDelivery(this.ctx.db, row.id, this.id, state, status, error, now);
  }

  /** One POST: no redirects followed, private targets refused unless allowed, bounded by the timeout. */
  private post(target: string, headers: Record<string, string>, body: string): Promise<Outcome> {
    const allowPrivate = this.ctx.config.allowPrivateTargets;
    const timeoutMs = this.settings.timeoutMs;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.resolve({ status: null, error: 'The post URL is not valid.', retryable: false });
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && (literal === 'localhost' || (net.isIP(literal) !== 0 && isPrivateAddress(literal)))) {
      return Promise.resolve({ status: null, error: `Refused: ${literal} is a private or loopback address.`, retryable: false });
    }
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const payload = Buffer.from(body);
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        lookup: guardedLookup(allowPrivate) as never,
        agent: false,
      });
      const timer = setTimeout(() => {
        done({ status: null, error: `Timed out after ${timeoutMs} ms.`, retryable: true });
        request.destroy();
      }, timeoutMs);
      request.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof BlockedTargetError) return done({ status: null, error: `Refused: ${err.message}.`, retryable: false });
        done({ status: null, error: `Connection failed: ${err.code ?? err.message}.`, retryable: true });
      });
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body is not kept; read a little of it so the connection ends cleanly.
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 64 * 1024) response.destroy();
        });
        const finish = () =>
          done({ status, error: status >= 200 && status < 300 ? null : `The receiver answered HTTP ${status}.`, retryable: retryableStatus(status) });
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      });
      request.end(payload);
    });
  }

  /** Deletes successful deliveries (and their attempts) that finished before the retention period. */
  async prune(now = this.clock()): Promise<number> {
    const before = now - this.settings.retentionDays * 86_400_000;
    return deliveries.pruneSucceeded(this.ctx.db, before);
  }
}
