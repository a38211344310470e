import type { Kysely } from 'kysely';

/**
 * Instance settings an owner changes on the admin pages (issue 18.4: "either one enforceable by
 * the owner for every account"), one row per setting. They live in the database, not in a
 * process, so every node reads the same value on its next request (src/admin/instance-settings.ts).
 * `updated_by` names the owner who last changed it, without a foreign key: the setting outlives
 * the account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instance_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('instance_settings').execute();
}
