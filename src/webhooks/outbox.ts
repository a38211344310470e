import type { ServerKeys } from '../credentials/server-keys.js';
import type { Executor } from '../db/database.js';
import { newExternalId, newId } from '../util/ids.js';
import { insertDeliveries } from './delivery-store.js';
import { newMessageId } from './sign.js';
import { subscriptionsFor } from './store.js';

export type Payload = Record<string, unknown>;

/**
 * A delivery's payload as stored: sealed with the server key (AES-GCM), since it may carry a
 * license key or a buyer's email; opened by the sender just before it posts. Rows queued before
 * payloads were sealed hold the JSON itself (it starts with `{`; a sealed one with `v1.`).
 */
export const sealPayload = (keys: ServerKeys, json: string): string => keys.encrypt(json);
export const openPayload = (keys: ServerKeys, stored: string): string => (stored.startsWith('{') ? stored : keys.decrypt(stored));

/**
 * Queues an event for every live subscription of the seller to `resourceName`, in the caller's
 * transaction: the outbox rows commit (or roll back) with the change they announce, so a crash
 * can neither lose an event nor send one that did not happen. `payload` may be a function, called
 * only when someone subscribes (building a sale's payload costs a few reads). `resource_name` is
 * appended when the payload lacks it; it is stored sealed (`sealPayload`). Returns how many deliveries were queued. The sender polls
 * for due rows; a caller holding the context may call `ctx.webhooks.trigger()` after commit to
 * have them sent at once.
 */
export async function enqueueEvent(
  trx: Executor,
  keys: ServerKeys,
  sellerId: string,
  resourceName: string,
  payload: Payload | (() => Promise<Payload>),
): Promise<number> {
  const subscriptions = await subscriptionsFor(trx, sellerId, resourceName);
  if (subscriptions.length === 0) return 0;
  const body = typeof payload === 'function' ? await payload() : payload;
  const sealed = sealPayload(keys, JSON.stringify('resource_name' in body ? body : { ...body, resource_name: resourceName }));
  const now = Date.now();
  const messageId = newMessageId();
  await insertDeliveries(
    trx,
    subscriptions.map((s) => ({
      id: newId(),
      external_id: newExternalId(),
      subscription_id: s.id,
      seller_id: sellerId,
      resource_name: resourceName,
      message_id: messageId,
      payload: sealed,
      state: 'pending' as const,
      attempt_count: 0,
      next_attempt_at: now,
      window_start: now,
      lease_owner: null,
      lease_until: null,
      last_status: null,
      last_error: null,
      created_at: now,
      finished_at: null,
    })),
  );
  return subscriptions.length;
}
