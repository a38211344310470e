import type { Kysely } from 'kysely';

/**
 * One-time messages of the dashboard (Post/Redirect/Get): a POST stores what the next page must
 * show (a secret shown once, a form's error) and redirects to a URL naming the row's random id.
 * Rows belong to one session; reading a row empties its payload, so a reload finds it "already
 * shown". Kept in the database, not in memory, so any process may serve the redirect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dashboard_flash')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('dashboard_flash_session').on('dashboard_flash').columns(['session_id', 'kind']).execute();
  await db.schema.createIndex('dashboard_flash_expires').on('dashboard_flash').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dashboard_flash').execute();
}
