import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { newId } from '../util/ids.js';
import * as triggers from './trigger-store.js';

/**
 * The Tessera events a flow can start on: the webhook resource names (src/webhooks/events.ts),
 * in the words the dashboard shows. The first four are the ones sellers ask for.
 */
export const TRIGGER_EVENTS: ReadonlyArray<{ name: string; label: string }> = [
  { name: 'sale', label: 'New sale' },
  { name: 'refund', label: 'Refund' },
  { name: 'license_rotated', label: 'License rotated' },
  { name: 'license_disabled', label: 'License disabled' },
  { name: 'license_enabled', label: 'License enabled' },
  { name: 'license_activated', label: 'License activated on a device' },
  { name: 'license_deactivated', label: 'License deactivated on a device' },
  { name: 'dispute', label: 'Dispute opened' },
  { name: 'dispute_won', label: 'Dispute won' },
  { name: 'cancellation', label: 'Subscription cancelled' },
  { name: 'subscription_updated', label: 'Subscription updated' },
  { name: 'subscription_ended', label: 'Subscription ended' },
  { name: 'subscription_restarted', label: 'Subscription restarted' },
];

export function eventLabel(name: string): string {
  return TRIGGER_EVENTS.find((e) => e.name === name)?.label ?? name;
}

/**
 * Queues one fire per event trigger of the seller watching `event`, in the event's transaction:
 * the fire commits (or rolls back) with the change it announces, and its own id is its key, so
 * each event starts each flow once. The payload (built only when some trigger watches) is kept
 * encrypted until the run starts (it may hold a license key). Returns how many were queued.
 */
export async function queueEventFires(trx: Executor, ctx: AppContext, sellerId: string, event: string, payload: () => Promise<Record<string, unknown>>): Promise<number> {
  const watching = await triggers.eventTriggers(trx, sellerId, event);
  if (watching.length === 0) return 0;
  const body = await payload();
  const sealed = ctx.keys.encrypt(JSON.stringify('resource_name' in body ? body : { ...body, resource_name: event }));
  const now = ctx.triggers.now();
  const eventId = newId();
  for (const t of watching) {
    await triggers.insertFire(trx, {
      id: newId(),
      trigger_id: t.id,
      fire_key: `event:${eventId}`,
      due_at: now,
      missed: 0,
      inputs_encrypted: sealed,
      state: 'pending',
      run_id: null,
      error: null,
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      started_at: null,
    });
  }
  return watching.length;
}
