import type { Executor } from '../db/database.js';
import type { ResourceSubscriptionRow } from '../sales/tables.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from './tables.js';

export interface DeliveryCursor {
  createdAt: number;
  externalId: string;
}

/** A live subscription by its external id, if it belongs to that user (and, when given, that application). */
export async function findSubscription(db: Executor, userId: string, externalId: string, applicationId?: string): Promise<ResourceSubscriptionRow | undefined> {
  let query = db.selectFrom('resource_subscriptions').selectAll().where('external_id', '=', externalId).where('user_id', '=', userId).where('deleted_at', 'is', null);
  if (applicationId !== undefined) query = query.where('application_id', '=', applicationId);
  return query.executeTakeFirst();
}

/** A subscription's deliveries, newest first, after the cursor. */
export async function listDeliveries(db: Executor, subscriptionId: string, limit: number, after?: DeliveryCursor): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('external_id', '<', after.externalId)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('external_id', 'desc').limit(limit).execute();
}

export async function attemptsOf(db: Executor, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempted_at', 'desc').orderBy('id').execute();
}

export async function findDelivery(db: Executor, subscriptionId: string, externalId: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).where('external_id', '=', externalId).executeTakeFirst();
}
