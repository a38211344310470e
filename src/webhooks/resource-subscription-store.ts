import type { Executor } from '../db/database.js';
import type { ResourceSubscriptionRow } from './tables.js';

export async function insertResourceSubscription(db: Executor, row: ResourceSubscriptionRow): Promise<void> {
  await db.insertInto('resource_subscriptions').values(row).execute();
}

/** Live subscriptions of one application of the user for one resource, oldest first. */
export async function listLive(db: Executor, userId: string, applicationId: string, resourceName: string): Promise<ResourceSubscriptionRow[]> {
  return db
    .selectFrom('resource_subscriptions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('application_id', '=', applicationId)
    .where('resource_name', '=', resourceName)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Soft-deletes the subscription if it is live and belongs to that user (and, when given, that
 * application: the API's DELETE; the dashboard's takes any of the user's). Whether there was one.
 */
export async function deleteOwned(db: Executor, userId: string, externalId: string, now: number, applicationId?: string): Promise<boolean> {
  let query = db.updateTable('resource_subscriptions').set({ deleted_at: now }).where('external_id', '=', externalId).where('user_id', '=', userId).where('deleted_at', 'is', null);
  if (applicationId !== undefined) query = query.where('application_id', '=', applicationId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
