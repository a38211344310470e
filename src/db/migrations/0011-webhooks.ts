import type { Kysely } from 'kysely';

/**
 * Webhook delivery (src/webhooks): signing secrets on resource subscriptions, the outbox of
 * deliveries (one row per event and subscription, written in the event's transaction) and the
 * log of their attempts; the sale and subscription state the event endpoints change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resource_subscriptions').addColumn('secret_encrypted', 'text').execute();
  await db.schema.alterTable('resource_subscriptions').addColumn('previous_secret_encrypted', 'text').execute();
  await db.schema.alterTable('resource_subscriptions').addColumn('previous_secret_expires_at', 'bigint').execute();
  await db.schema.alterTable('purchases').addColumn('dispute_won', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('subscriptions').addColumn('cancelled_by', 'text').execute();
  await db.schema.alterTable('subscriptions').addColumn('ended_reason', 'text').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('resource_subscriptions.id').onDelete('cascade'))
    .addColumn('seller_id', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    /** The Standard Webhooks message id (`webhook-id`): the same on every attempt and redelivery. */
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_subscription').on('webhook_deliveries').columns(['subscription_id', 'created_at']).execute();
  await db.schema.createIndex('webhook_deliveries_finished').on('webhook_deliveries').columns(['state', 'finished_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'attempted_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.alterTable('subscriptions').dropColumn('ended_reason').execute();
  await db.schema.alterTable('subscriptions').dropColumn('cancelled_by').execute();
  await db.schema.alterTable('purchases').dropColumn('dispute_won').execute();
  for (const column of ['previous_secret_expires_at', 'previous_secret_encrypted', 'secret_encrypted']) {
    await db.schema.alterTable('resource_subscriptions').dropColumn(column).execute();
  }
}
