import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Bytes kept in the database on both dialects (a BLOB in SQLite, a bytea in PostgreSQL), so that
 * every node of a PostgreSQL deployment serves the same files and nothing lives on one node's disk.
 *
 * - `flow_files`: the Gumloop-compatible file endpoints (gumloop contract, Tessera's decision 7).
 *   A file belongs to an account or team (`run_id` null: uploaded through upload_file) or to one
 *   run of theirs (written by a step). Names are unique per owner among uploads and per run.
 * - `product_covers`: a product's cover image, shown on its public page and as thumbnail_url.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('flow_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('flow_files_upload_name')
    .on('flow_files')
    .columns(['owner_type', 'owner_id', 'name'])
    .unique()
    .where(sql<boolean>`run_id is null`)
    .execute();
  await db.schema.createIndex('flow_files_run_name').on('flow_files').columns(['run_id', 'name']).unique().where(sql<boolean>`run_id is not null`).execute();
  await db.schema.createIndex('flow_files_owner').on('flow_files').columns(['owner_type', 'owner_id', 'created_at']).execute();

  await db.schema
    .createTable('product_covers')
    .addColumn('product_id', 'text', (c) => c.primaryKey().references('products.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('product_covers').execute();
  await db.schema.dropTable('flow_files').execute();
}
