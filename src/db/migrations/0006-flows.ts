import { sql, type Kysely } from 'kysely';

/** Workbooks (folders), flows, the run queue, per-owner limits and the email outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workbooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workbooks_owner').on('workbooks').columns(['owner_type', 'owner_id']).execute();
  await db.schema
    .createIndex('workbooks_one_default')
    .on('workbooks')
    .columns(['owner_type', 'owner_id'])
    .unique()
    .where(sql<boolean>`is_default = 1`)
    .execute();

  await db.schema
    .createTable('flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('workbook_id', 'text', (c) => c.notNull().references('workbooks.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('flows_owner').on('flows').columns(['owner_type', 'owner_id']).execute();

  await db.schema
    .createTable('flow_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('heartbeat_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('flow_runs_state_created').on('flow_runs').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('flow_runs_owner_state').on('flow_runs').columns(['owner_type', 'owner_id', 'state']).execute();
  await db.schema.createIndex('flow_runs_flow_created').on('flow_runs').columns(['flow_id', 'created_at']).execute();
  await db.schema
    .createIndex('flow_runs_idempotency')
    .on('flow_runs')
    .columns(['owner_type', 'owner_id', 'idempotency_key'])
    .unique()
    .where(sql<boolean>`idempotency_key is not null`)
    .execute();

  await db.schema
    .createTable('flow_limits')
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('max_concurrent', 'integer')
    .addColumn('max_queued', 'integer')
    .addColumn('max_run_seconds', 'integer')
    .addColumn('max_output_bytes', 'integer')
    .addPrimaryKeyConstraint('flow_limits_pk', ['owner_type', 'owner_id'])
    .execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('email_outbox_pending').on('email_outbox').columns(['sent_at', 'next_attempt_at']).execute();
  await db.schema.createIndex('email_outbox_run').on('email_outbox').column('run_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['email_outbox', 'flow_limits', 'flow_runs', 'flows', 'workbooks']) {
    await db.schema.dropTable(table).execute();
  }
}
