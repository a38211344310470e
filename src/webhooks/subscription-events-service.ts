import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { textParam, wholeNumberParam } from '../catalog/params.js';
import { lockRow, type Trx } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { getSubscriber, type Subscriber } from '../sales/subscriber-service.js';
import type { PurchaseRow, SubscriptionRow } from '../sales/tables.js';
import { isoSeconds } from '../util/dates.js';
import { enqueueSubscriptionEvent } from './events.js';
import * as subscribers from './subscriber-store.js';

/**
 * What the seller's billing reports about a subscription: cancelled, ended, restarted, or its
 * plan changed. Each changes what GET /v2/subscribers, GET /v2/sales and license verification
 * answer (`subscription_cancelled_at`, `subscription_ended_at`, …), is audited, and queues the
 * Gumroad webhook (`cancellation`, `subscription_ended`, `subscription_restarted`,
 * `subscription_updated`) in the same transaction.
 */
const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);
const given = (value: unknown) => value !== undefined && value !== null && value !== '';

export const RECURRENCES = ['monthly', 'quarterly', 'biannually', 'yearly', 'every_two_years'] as const;
const CANCELLERS = ['seller', 'buyer', 'admin'] as const;
const END_REASONS = ['cancelled', 'failed_payment', 'fixed_subscription_period_ended'] as const;

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  const text = textParam(value, name, 100).trim();
  if (!(allowed as readonly string[]).includes(text)) throw invalid(`The '${name}' parameter must be one of: ${allowed.join(', ')}.`);
  return text as T;
}

function timeParam(value: unknown, name: string): number {
  const text = textParam(value, name, 100).trim();
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalid(`The '${name}' parameter must be an ISO 8601 date or time.`);
  return ms;
}

interface Locked {
  subscription: SubscriptionRow;
  original: PurchaseRow;
}

async function lockSubscription(trx: Trx, ctx: AppContext, sellerId: string, externalId: string): Promise<Locked> {
  const found = await subscribers.findSubscriptionId(trx, sellerId, externalId);
  if (found === undefined) throw new TesseraError('SUBSCRIBER_NOT_FOUND');
  await lockRow(trx, ctx.dialect, 'subscriptions', found);
  const subscription = await subscribers.getSubscription(trx, found);
  const original = await subscribers.getPurchase(trx, subscription.original_purchase_id);
  return { subscription, original };
}

/** Runs one change under the subscription's lock, then answers the subscriber as it now is. */
async function mutate(
  ctx: AppContext,
  sellerId: string,
  id: string,
  actor: Actor,
  apply: (trx: Trx, locked: Locked, now: number) => Promise<{ action: string; metadata: Record<string, unknown> }>,
): Promise<Subscriber> {
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockSubscription(trx, ctx, sellerId, id);
    const { action, metadata } = await apply(trx, locked, Date.now());
    await recordAudit(trx, { actor, userId: sellerId, action, target: { type: 'subscription', id }, metadata });
  });
  return getSubscriber(ctx, sellerId, id);
}

async function setPurchase(trx: Trx, id: string, changes: Partial<PurchaseRow>, now: number) {
  await subscribers.updatePurchase(trx, id, { ...changes, updated_at: now });
}

async function reload(trx: Trx, id: string): Promise<SubscriptionRow> {
  return subscribers.getSubscription(trx, id);
}

/** `cancelled_by` seller (default) / buyer / admin; `cancelled_at` (default now) may be later, the end of the paid period. */
export function cancelSubscription(ctx: AppContext, sellerId: string, id: string, input: { cancelled_by?: unknown; cancelled_at?: unknown }, actor: Actor) {
  const by = given(input.cancelled_by) ? oneOf(input.cancelled_by, 'cancelled_by', CANCELLERS) : 'seller';
  const at = given(input.cancelled_at) ? timeParam(input.cancelled_at, 'cancelled_at') : null;
  return mutate(ctx, sellerId, id, actor, async (trx, { subscription, original }, now) => {
    if (original.subscription_ended_at !== null) throw invalid('The subscription has ended.');
    if (original.subscription_cancelled_at !== null) throw invalid('The subscription is already cancelled.');
    const when = at ?? now;
    await setPurchase(trx, original.id, { subscription_cancelled_at: when }, now);
    await subscribers.updateSubscription(trx, subscription.id, { cancelled_by: by, user_requested_cancellation_at: by === 'buyer' ? now : subscription.user_requested_cancellation_at });
    await enqueueSubscriptionEvent(trx, ctx, await reload(trx, subscription.id), 'cancellation');
    return { action: 'subscription.cancelled', metadata: { cancelled_by: by, cancelled_at: isoSeconds(when) } };
  });
}

/** `reason`: cancelled (default when cancelled), failed_payment, fixed_subscription_period_ended (default otherwise). */
export function endSubscription(ctx: AppContext, sellerId: string, id: string, input: { reason?: unknown }, actor: Actor) {
  const requested = given(input.reason) ? oneOf(input.reason, 'reason', END_REASONS) : null;
  return mutate(ctx, sellerId, id, actor, async (trx, { subscription, original }, now) => {
    if (original.subscription_ended_at !== null) throw invalid('The subscription has already ended.');
    const reason = requested ?? (original.subscription_cancelled_at !== null ? 'cancelled' : 'fixed_subscription_period_ended');
    const changes: Partial<PurchaseRow> = { subscription_ended_at: now };
    if (reason === 'failed_payment' && original.subscription_failed_at === null) changes.subscription_failed_at = now;
    await setPurchase(trx, original.id, changes, now);
    await subscribers.updateSubscription(trx, subscription.id, { ended_reason: reason });
    await enqueueSubscriptionEvent(trx, ctx, await reload(trx, subscription.id), 'subscription_ended');
    return { action: 'subscription.ended', metadata: { reason } };
  });
}

/** A cancelled, failed or ended subscription is alive again. */
export function restartSubscription(ctx: AppContext, sellerId: string, id: string, actor: Actor) {
  return mutate(ctx, sellerId, id, actor, async (trx, { subscription, original }, now) => {
    if (original.subscription_cancelled_at === null && original.subscription_ended_at === null && original.subscription_failed_at === null) {
      throw invalid('The subscription is active: there is nothing to restart.');
    }
    await setPurchase(trx, original.id, { subscription_cancelled_at: null, subscription_ended_at: null, subscription_failed_at: null }, now);
    await subscribers.updateSubscription(trx, subscription.id, { cancelled_by: null, ended_reason: null, user_requested_cancellation_at: null });
    await enqueueSubscriptionEvent(trx, ctx, await reload(trx, subscription.id), 'subscription_restarted');
    return { action: 'subscription.restarted', metadata: {} };
  });
}

interface UpdateInput {
  recurrence?: unknown;
  price_cents?: unknown;
  quantity?: unknown;
  tier?: unknown;
  type?: unknown;
  effective_as_of?: unknown;
}

/**
 * A plan change: `recurrence`, `price_cents` (of the plan), `quantity`, `tier` (a name shown in
 * the webhook); at least one. `type` upgrade / downgrade defaults from the price; `effective_as_of`
 * defaults to now. The webhook carries Gumroad's `type`, `effective_as_of`, `old_plan`, `new_plan`.
 */
export function updateSubscription(ctx: AppContext, sellerId: string, id: string, input: UpdateInput, actor: Actor) {
  const recurrence = given(input.recurrence) ? oneOf(input.recurrence, 'recurrence', RECURRENCES) : null;
  const price = given(input.price_cents) ? wholeNumberParam(input.price_cents, 'price_cents') : null;
  const quantity = given(input.quantity) ? wholeNumberParam(input.quantity, 'quantity', 10_000) : null;
  if (quantity !== null && quantity < 1) throw invalid("The 'quantity' parameter must be at least 1.");
  const tier = given(input.tier) ? textParam(input.tier, 'tier', 255).trim() : null;
  const type = given(input.type) ? oneOf(input.type, 'type', ['upgrade', 'downgrade'] as const) : null;
  const effective = given(input.effective_as_of) ? timeParam(input.effective_as_of, 'effective_as_of') : null;
  if (recurrence === null && price === null && quantity === null && tier === null) {
    throw invalid("Give at least one of 'recurrence', 'price_cents', 'quantity' or 'tier'.");
  }
  return mutate(ctx, sellerId, id, actor, async (trx, { subscription, original }, now) => {
    if (original.subscription_ended_at !== null) throw invalid('The subscription has ended.');
    const product = await subscribers.productIdAndName(trx, subscription.product_id);
    const variants = JSON.parse(original.variants) as Record<string, string>;
    const oldTier = Object.values(variants).join(', ') || product.name;
    const old = { tier: { id: product.external_id, name: oldTier }, recurrence: subscription.recurrence, price_cents: original.price, quantity: original.quantity };
    const plan = {
      tier: { id: product.external_id, name: tier ?? oldTier },
      recurrence: recurrence ?? subscription.recurrence,
      price_cents: price ?? original.price,
      quantity: quantity ?? original.quantity,
    };
    const purchaseChanges: Partial<PurchaseRow> = { price: plan.price_cents, quantity: plan.quantity };
    if (tier !== null) purchaseChanges.variants = JSON.stringify({ ...variants, Tier: tier });
    await setPurchase(trx, original.id, purchaseChanges, now);
    await subscribers.updateSubscription(trx, subscription.id, { recurrence: plan.recurrence });
    const changeType = type ?? (plan.price_cents * 1 >= old.price_cents ? 'upgrade' : 'downgrade');
    const extra = { type: changeType, effective_as_of: isoSeconds(effective ?? now), old_plan: old, new_plan: plan };
    await enqueueSubscriptionEvent(trx, ctx, await reload(trx, subscription.id), 'subscription_updated', extra);
    return { action: 'subscription.updated', metadata: { type: changeType, old_plan: old, new_plan: plan } };
  });
}
