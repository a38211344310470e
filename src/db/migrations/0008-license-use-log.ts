import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Uses counted by license verification on SQLite, appended here and folded into licenses.uses
 * later (src/licenses/use-log.ts): appending writes a few consecutive pages per batch where
 * updating licenses in place wrote one page per license. `seq` only grows (AUTOINCREMENT never
 * reuses a number, even after the table was emptied). PostgreSQL keeps the table empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create table license_use_log (seq bigint generated always as identity primary key, license_id text not null, n integer not null)`.execute(db);
  } else {
    await sql`create table license_use_log (seq integer primary key autoincrement, license_id text not null, n integer not null)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('license_use_log').execute();
}
