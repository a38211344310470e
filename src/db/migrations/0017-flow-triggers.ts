import type { Kysely } from 'kysely';

/**
 * Flow triggers (src/flows/trigger-*.ts): a schedule (cron expression and timezone) or a Tessera
 * event (sale, refund, license_rotated, …) that starts a flow, and the fires that claim each due
 * time or event once. `(trigger_id, fire_key)` is unique: of several schedulers (processes,
 * machines) on one database only the first insert of a due time wins, so it runs once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_triggers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    /** The account the runs act for; an event trigger watches this account's events. */
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cron', 'text')
    .addColumn('timezone', 'text')
    .addColumn('event', 'text')
    /** Schedule: the next due time not yet claimed (ms). */
    .addColumn('next_due_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flow_triggers_flow').on('flow_triggers').columns(['flow_id', 'created_at']).execute();
  await db.schema.createIndex('flow_triggers_due').on('flow_triggers').columns(['kind', 'next_due_at']).execute();
  await db.schema.createIndex('flow_triggers_event').on('flow_triggers').columns(['kind', 'event', 'user_id']).execute();

  await db.schema
    .createTable('flow_trigger_fires')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger_id', 'text', (c) => c.notNull().references('flow_triggers.id').onDelete('cascade'))
    /** `due:<ms>` for a schedule's due time, `event:<id>` for an event. */
    .addColumn('fire_key', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    /** Due times skipped since the previous fire (downtime): they are not run. */
    .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
    /** The event's payload, encrypted (it may hold a license key); emptied once the run starts. */
    .addColumn('inputs_encrypted', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .execute();
  await db.schema.createIndex('flow_trigger_fires_once').on('flow_trigger_fires').columns(['trigger_id', 'fire_key']).unique().execute();
  await db.schema.createIndex('flow_trigger_fires_pending').on('flow_trigger_fires').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('flow_trigger_fires_trigger').on('flow_trigger_fires').columns(['trigger_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_trigger_fires').execute();
  await db.schema.dropTable('flow_triggers').execute();
}
