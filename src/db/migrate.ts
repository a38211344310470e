import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import type { ServerKeys } from '../credentials/server-keys.js';
import { keyedMigrations, migrations } from './migrations/index.js';

function provider(keys: ServerKeys): MigrationProvider {
  const keyed = Object.fromEntries(Object.entries(keyedMigrations).map(([name, make]) => [name, make(keys)]));
  return { getMigrations: async () => ({ ...(migrations as Record<string, Migration>), ...keyed }) };
}

/** Brings the schema up to date; run at every start (server and CLI). */
export async function migrateToLatest(db: Db, keys: ServerKeys): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: provider(keys), allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}

/** The names of the migrations the database has applied (throws when it cannot be reached). */
export async function appliedMigrations(db: Db): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}
