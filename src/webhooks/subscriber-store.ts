import type { Updateable } from 'kysely';
import type { Trx } from '../db/database.js';
import type { PurchaseRow, SubscriptionRow, SubscriptionTable } from '../sales/tables.js';

// The statements of the subscription events (src/webhooks/subscription-events-service.ts), each
// run inside the event's transaction, under the subscription's row lock.

/** The id of the seller's subscription with this external id, if there is one. */
export async function findSubscriptionId(trx: Trx, sellerId: string, externalId: string): Promise<string | undefined> {
  return (await trx.selectFrom('subscriptions').select('id').where('seller_id', '=', sellerId).where('external_id', '=', externalId).executeTakeFirst())?.id;
}

/** A subscription by id (it must exist). */
export async function getSubscription(trx: Trx, id: string): Promise<SubscriptionRow> {
  return (await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as SubscriptionRow;
}

/** A purchase by id (it must exist): a subscription's original purchase. */
export async function getPurchase(trx: Trx, id: string): Promise<PurchaseRow> {
  return (await trx.selectFrom('purchases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as PurchaseRow;
}

/** A product's external id and name (it must exist). */
export async function productIdAndName(trx: Trx, id: string): Promise<{ external_id: string; name: string }> {
  return trx.selectFrom('products').select(['external_id', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Changes a purchase (the caller sets updated_at). */
export async function updatePurchase(trx: Trx, id: string, changes: Partial<PurchaseRow>): Promise<void> {
  await trx.updateTable('purchases').set(changes).where('id', '=', id).execute();
}

/** Changes a subscription. */
export async function updateSubscription(trx: Trx, id: string, changes: Updateable<SubscriptionTable>): Promise<void> {
  await trx.updateTable('subscriptions').set(changes).where('id', '=', id).execute();
}
