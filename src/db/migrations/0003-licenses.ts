import type { Kysely } from 'kysely';

// Licenses reference catalog's purchases and products by id; see src/licenses/tables.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('licenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('purchase_id', 'text', (c) => c.notNull().unique().references('purchases.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('seller_id', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_encrypted', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'bigint')
    .addColumn('grace_key_hash', 'text', (c) => c.unique())
    .addColumn('grace_ends_at', 'bigint')
    .addColumn('rotated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('licenses_product').on('licenses').column('product_id').execute();

  await db.schema
    .createTable('license_verification_days')
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('license_verification_days_pk', ['license_id', 'day'])
    .execute();

  // A license's history (GET /v2/licenses/{license_id}/events) reads audit events by target.
  await db.schema.createIndex('audit_events_target_id').ifNotExists().on('audit_events').column('target_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_events_target_id').ifExists().execute();
  await db.schema.dropTable('license_verification_days').execute();
  await db.schema.dropTable('licenses').execute();
}
