import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import type { TokenPrincipal } from '../tokens/service.js';
import { isoSeconds, isoTime } from '../util/dates.js';
import { updateDelivery } from './delivery-store.js';
import { replaceSecret } from './secrets.js';
import * as store from './store.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from './tables.js';

export const DELIVERIES_PER_PAGE = 20;
const MAX_GRACE_SECONDS = 7 * 86_400;

/** Who may see a subscription's deliveries: its application's tokens (API), or its owner (dashboard). */
export interface SubscriptionOwner {
  userId: string;
  applicationId?: string;
}

export const ownerOf = (principal: TokenPrincipal): SubscriptionOwner => ({ userId: principal.userId, applicationId: principal.applicationId });

export interface Delivery {
  id: string;
  resource_name: string;
  webhook_id: string;
  state: string;
  created_at: string;
  attempt_count: number;
  next_attempt_at: string | null;
  finished_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  attempts: { attempted_at: string; status_code: number | null; duration_ms: number; error: string | null }[];
}

function present(row: WebhookDeliveryRow, attempts: WebhookAttemptRow[]): Delivery {
  return {
    id: row.external_id,
    resource_name: row.resource_name,
    webhook_id: row.message_id,
    state: row.state,
    created_at: isoSeconds(row.created_at)!,
    attempt_count: attempts.length,
    next_attempt_at: row.state === 'pending' ? isoSeconds(row.next_attempt_at) : null,
    finished_at: isoSeconds(row.finished_at),
    last_status_code: row.last_status,
    last_error: row.last_error,
    attempts: attempts.map((a) => ({ attempted_at: isoTime(a.attempted_at), status_code: a.status_code, duration_ms: a.duration_ms, error: a.error })),
  };
}

async function requireSubscription(ctx: AppContext, owner: SubscriptionOwner, id: string) {
  const subscription = await store.findSubscription(ctx.db, owner.userId, id, owner.applicationId);
  if (!subscription) throw new TesseraError('RESOURCE_SUBSCRIPTION_NOT_FOUND');
  return subscription;
}

function encodeCursor(row: WebhookDeliveryRow): string {
  return Buffer.from(JSON.stringify([row.created_at, row.external_id])).toString('base64url');
}

function decodeCursor(value: unknown): store.DeliveryCursor {
  try {
    const [createdAt, externalId] = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'number' && Number.isSafeInteger(createdAt) && typeof externalId === 'string' && externalId.length < 100) return { createdAt, externalId };
  } catch {
    // answered below
  }
  throw new TesseraError('SALES_PARAM_INVALID', 'Invalid page_key.');
}

/** GET /v2/resource_subscriptions/:id/deliveries: 20 a page, newest first, each with its attempts (newest first). */
export async function listDeliveries(ctx: AppContext, owner: SubscriptionOwner, id: string, pageKey?: unknown) {
  const subscription = await requireSubscription(ctx, owner, id);
  const after = pageKey !== undefined && pageKey !== '' ? decodeCursor(pageKey) : undefined;
  const rows = await store.listDeliveries(ctx.db, subscription.id, DELIVERIES_PER_PAGE + 1, after);
  const page = rows.slice(0, DELIVERIES_PER_PAGE);
  const attempts = await store.attemptsOf(ctx.db, page.map((r) => r.id));
  const deliveries = page.map((row) => present(row, attempts.filter((a) => a.delivery_id === row.id)));
  const nextPageKey = rows.length > DELIVERIES_PER_PAGE ? encodeCursor(page[page.length - 1]!) : null;
  return { subscription, deliveries, nextPageKey };
}

/**
 * POST …/deliveries/:delivery_id/redeliver: sends the delivery again (same webhook-id, so a
 * receiver that processed it can tell), with a fresh retry window. A delivery already waiting is
 * made due now.
 */
export async function redeliver(ctx: AppContext, owner: SubscriptionOwner, id: string, deliveryId: string, actor: Actor): Promise<Delivery> {
  const subscription = await requireSubscription(ctx, owner, id);
  const now = Date.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const found = await store.findDelivery(trx, subscription.id, deliveryId);
    if (!found) throw new TesseraError('WEBHOOK_DELIVERY_NOT_FOUND');
    const changes =
      found.state === 'pending'
        ? { next_attempt_at: Math.min(found.next_attempt_at, now) }
        : { state: 'pending' as const, next_attempt_at: now, window_start: now, finished_at: null };
    await updateDelivery(trx, found.id, changes);
    await recordAudit(trx, {
      actor,
      userId: subscription.user_id,
      action: 'webhook.redelivered',
      target: { type: 'webhook_delivery', id: deliveryId },
      metadata: { resource_subscription_id: subscription.external_id, resource_name: found.resource_name, previous_state: found.state },
    });
    return { ...found, ...changes };
  });
  ctx.webhooks.trigger();
  return present(row, await store.attemptsOf(ctx.db, [row.id]));
}

/**
 * POST /v2/resource_subscriptions/:id/rotate_secret: a new signing secret, shown once; the old
 * one keeps signing alongside it for `grace_period` seconds (default TESSERA_WEBHOOK_SECRET_GRACE_HOURS,
 * at most 7 days, 0 = retire it now).
 */
export async function rotateSecret(ctx: AppContext, owner: SubscriptionOwner, id: string, gracePeriod: unknown, actor: Actor) {
  const subscription = await requireSubscription(ctx, owner, id);
  let grace = ctx.config.webhooks.secretGraceHours * 3600;
  if (gracePeriod !== undefined && gracePeriod !== '') {
    const text = typeof gracePeriod === 'string' || typeof gracePeriod === 'number' ? String(gracePeriod).trim() : '';
    if (!/^\d{1,7}$/.test(text) || Number(text) > MAX_GRACE_SECONDS) {
      throw new TesseraError('CATALOG_INVALID', `The 'grace_period' parameter must be a whole number of seconds between 0 and ${MAX_GRACE_SECONDS}.`);
    }
    grace = Number(text);
  }
  const now = Date.now();
  const secret = await ctx.db.transaction().execute(async (trx) => {
    const value = await replaceSecret(ctx, trx, subscription.id, grace, now);
    await recordAudit(trx, {
      actor,
      userId: subscription.user_id,
      action: 'resource_subscription.secret_rotated',
      target: { type: 'resource_subscription', id: subscription.external_id },
      metadata: { grace_period: grace },
    });
    return value;
  });
  return {
    resource_subscription: { id: subscription.external_id, resource_name: subscription.resource_name, post_url: subscription.post_url },
    signing_secret: secret,
    previous_secret_expires_at: grace > 0 ? isoSeconds(now + grace * 1000) : null,
  };
}
