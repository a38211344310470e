import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { SaleCursor } from './purchase-store.js';
import type { Insertable } from 'kysely';
import type { PurchaseRow, SubscriptionRow, SubscriptionTable } from './tables.js';

export async function insertSubscription(db: Executor, row: Insertable<SubscriptionTable>): Promise<void> {
  await db.insertInto('subscriptions').values(row).execute();
}

export async function findByIds(db: Executor, ids: string[]): Promise<SubscriptionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('subscriptions').selectAll().where('id', 'in', ids).execute();
}

export type SubscriberRow = SubscriptionRow & Pick<PurchaseRow, 'email' | 'order_number' | 'subscription_cancelled_at' | 'subscription_ended_at' | 'subscription_failed_at'>;

const columns = [
  'purchases.email',
  'purchases.order_number',
  'purchases.subscription_cancelled_at',
  'purchases.subscription_ended_at',
  'purchases.subscription_failed_at',
] as const;

export async function findOwned(db: Executor, sellerId: string, externalId: string): Promise<SubscriberRow | undefined> {
  return db
    .selectFrom('subscriptions')
    .innerJoin('purchases', 'purchases.id', 'subscriptions.original_purchase_id')
    .selectAll('subscriptions')
    .select(columns)
    .where('subscriptions.seller_id', '=', sellerId)
    .where('subscriptions.external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * A product's active subscriptions, newest first: not failed, not ended, and not cancelled
 * (a cancellation dated in the future is not yet effective).
 */
export async function listActive(
  db: Executor,
  productId: string,
  now: number,
  options: { email?: string; after?: SaleCursor; limit?: number },
): Promise<SubscriberRow[]> {
  let query = db
    .selectFrom('subscriptions')
    .innerJoin('purchases', 'purchases.id', 'subscriptions.original_purchase_id')
    .selectAll('subscriptions')
    .select(columns)
    .where('subscriptions.product_id', '=', productId)
    .where('purchases.subscription_failed_at', 'is', null)
    .where('purchases.subscription_ended_at', 'is', null)
    .where((eb) => eb.or([eb('purchases.subscription_cancelled_at', 'is', null), eb('purchases.subscription_cancelled_at', '>', now)]));
  // Case-insensitive, as Gumroad's collation compares emails.
  if (options.email !== undefined) query = query.where(sql`lower(purchases.email)`, '=', options.email.toLowerCase());
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('subscriptions.created_at', '<', after.createdAt),
        eb.and([eb('subscriptions.created_at', '=', after.createdAt), eb('purchases.order_number', '<', after.orderNumber)]),
      ]),
    );
  }
  query = query.orderBy('subscriptions.created_at', 'desc').orderBy('purchases.order_number', 'desc');
  if (options.limit !== undefined) query = query.limit(options.limit);
  return query.execute();
}
