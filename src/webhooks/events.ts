import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import type { SaleEventName } from '../sales/sale-events.js';
import type { PurchaseRow, SubscriptionRow } from '../sales/tables.js';
import { isoSeconds } from '../util/dates.js';
import { queueEventFires } from '../flows/trigger-events.js';
import { enqueueEvent, type Payload } from './outbox.js';
import { licenseState, userExternalId } from './payload-store.js';
import { salePayload, subscriptionPayload } from './payloads.js';

/**
 * One event, in the transaction of its change: the webhook deliveries of its subscriptions and the
 * fires of the flow triggers watching it (src/flows/trigger-events.ts), the payload built at most
 * once and only when someone listens. Each side's runner is asked to look soon.
 */
async function announce(trx: Executor, ctx: AppContext, sellerId: string, resourceName: string, payload: () => Promise<Payload>): Promise<void> {
  let built: Promise<Payload> | undefined;
  const once = () => (built ??= payload());
  if ((await enqueueEvent(trx, ctx.keys, sellerId, resourceName, once)) > 0) ctx.webhooks.trigger();
  if ((await queueEventFires(trx, ctx, sellerId, resourceName, once)) > 0) ctx.triggers.wake();
}

/**
 * The events of Tessera's domains as outbox rows, each called inside the transaction of the
 * change it announces. Each also asks this process's sender to look soon (it looks again shortly
 * after, in case the transaction had not committed yet); other processes' senders poll.
 */
/** The outbox side of src/sales/sale-events.ts (ctx.saleEvents). */
export async function enqueueSaleEvent(trx: Executor, ctx: AppContext, purchase: PurchaseRow, resourceName: SaleEventName): Promise<void> {
  await announce(trx, ctx, purchase.seller_id, resourceName, () => salePayload(trx, ctx, purchase, resourceName));
}

export async function enqueueSubscriptionEvent(
  trx: Executor,
  ctx: AppContext,
  subscription: SubscriptionRow,
  resourceName: 'cancellation' | 'subscription_updated' | 'subscription_ended' | 'subscription_restarted',
  extra: Payload = {},
): Promise<void> {
  const payload = () => subscriptionPayload(trx, ctx, subscription, resourceName, extra);
  await announce(trx, ctx, subscription.seller_id, resourceName, payload);
}

/** What a license event needs to know of the license (a LicenseView has all of it). */
export interface LicenseEventSubject {
  id: string;
  seller_id: string;
  license_id: string;
  sale_id: string;
  product_external_id: string;
  product_name: string;
  email: string;
}

/**
 * Tessera's license events (`license_rotated`, `license_disabled`, `license_enabled`,
 * `license_activated`, `license_deactivated`): the license's ids and state after the change; a
 * rotation adds the new key (the seller's backend hands it to the buyer) and any grace period of
 * the old one; an activation event adds the instance and the seats in use.
 */
export async function enqueueLicenseEvent(
  trx: Executor,
  ctx: AppContext,
  license: LicenseEventSubject,
  resourceName: 'license_rotated' | 'license_disabled' | 'license_enabled' | 'license_activated' | 'license_deactivated',
  extra: { license_key?: string; grace_ends_at?: number | null; activation?: Payload } = {},
): Promise<void> {
  const payload = async (): Promise<Payload> => {
    const row = await licenseState(trx, license.id);
    const sellerExternalId = await userExternalId(trx, license.seller_id);
    const body: Payload = {
      seller_id: sellerExternalId,
      license_id: license.license_id,
      sale_id: license.sale_id,
      product_id: license.product_external_id,
      product_name: license.product_name,
      email: license.email,
      disabled: row.disabled_at !== null,
      disabled_at: isoSeconds(row.disabled_at),
      rotated_at: isoSeconds(row.rotated_at),
    };
    if (extra.license_key !== undefined) body.license_key = extra.license_key;
    if (extra.grace_ends_at !== undefined) body.grace_ends_at = isoSeconds(extra.grace_ends_at);
    if (extra.activation !== undefined) Object.assign(body, extra.activation);
    body.resource_name = resourceName;
    body.timestamp = isoSeconds(Date.now());
    return body;
  };
  await announce(trx, ctx, license.seller_id, resourceName, payload);
}
