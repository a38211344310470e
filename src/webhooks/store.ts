import type { Executor } from '../db/database.js';
import type { ResourceSubscriptionRow } from './tables.js';
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

/** The live resource subscriptions of a seller (all of their applications) for one resource. */
export async function subscriptionsFor(db: Executor, sellerId: string, resourceName: string): Promise<{ id: string }[]> {
  return db
    .selectFrom('resource_subscriptions')
    .select('id')
    .where('user_id', '=', sellerId)
    .where('resource_name', '=', resourceName)
    .where('deleted_at', 'is', null)
    .execute();
}

/** The user's live resource subscriptions (all applications), newest first, at most `limit`, with their application's name. */
export async function liveSubscriptionsWithApplications(
  db: Executor,
  userId: string,
  limit: number,
): Promise<{ id: string; external_id: string; resource_name: string; post_url: string; created_at: number; application_id: string; application_name: string }[]> {
  return db
    .selectFrom('resource_subscriptions as s')
    .innerJoin('applications as a', 'a.id', 's.application_id')
    .select(['s.id', 's.external_id', 's.resource_name', 's.post_url', 's.created_at', 's.application_id', 'a.name as application_name'])
    .where('s.user_id', '=', userId)
    .where('s.deleted_at', 'is', null)
    .orderBy('s.created_at', 'desc')
    .limit(limit)
    .execute();
}


/** The owner (user id) of a live resource subscription, by its external id. */
export async function liveSubscriptionOwner(db: Executor, externalId: string): Promise<string | undefined> {
  return (await db.selectFrom('resource_subscriptions').select('user_id').where('external_id', '=', externalId).where('deleted_at', 'is', null).executeTakeFirst())?.user_id;
}

/** The seller of a sale (purchase), by its external id. */
export async function saleSeller(db: Executor, saleExternalId: string): Promise<string | undefined> {
  return (await db.selectFrom('purchases').select('seller_id').where('external_id', '=', saleExternalId).executeTakeFirst())?.seller_id;
}

/** The seller of a subscription, by its external id. */
export async function subscriptionSeller(db: Executor, externalId: string): Promise<string | undefined> {
  return (await db.selectFrom('subscriptions').select('seller_id').where('external_id', '=', externalId).executeTakeFirst())?.seller_id;
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

/** The attempts of these deliveries, newest first. */
export async function attemptsOf(db: Executor, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempted_at', 'desc').orderBy('id').execute();
}

/** One of a subscription's deliveries, by its external id. */
export async function findDelivery(db: Executor, subscriptionId: string, externalId: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).where('external_id', '=', externalId).executeTakeFirst();
}
