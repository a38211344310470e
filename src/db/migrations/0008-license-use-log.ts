import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Uses counted by license verification on SQLite, appended here and folded into licenses.uses
 * later (src/licenses/verify/tally.ts): one row per batch (`counts`, a JSON object of license id →
 * uses) writes a page or two where updating licenses in place wrote one page per license. `seq` only grows (AUTOINCREMENT never
 * reuses a number, even after the table was emptied). `license_view_epoch.uses_epoch` moves
 * whenever licenses.uses changes (a fold, a decrement, a reset), so a server may keep the stored
 * uses of the licenses it verifies in memory until then. PostgreSQL counts in place: its log
 * stays empty and it needs no such trigger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('license_view_epoch').addColumn('uses_epoch', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create table license_use_log (seq bigint generated always as identity primary key, counts text not null)`.execute(db);
    return;
  }
  await sql`create table license_use_log (seq integer primary key autoincrement, counts text not null)`.execute(db);
  await sql`create trigger licenses_uses_epoch after update of uses on licenses
            begin update license_view_epoch set uses_epoch = uses_epoch + 1 where id = 1; end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists licenses_uses_epoch`.execute(db);
  await db.schema.dropTable('license_use_log').execute();
  await db.schema.alterTable('license_view_epoch').dropColumn('uses_epoch').execute();
}
