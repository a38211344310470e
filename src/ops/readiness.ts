import type { Db } from '../db/database.js';
import { appliedMigrations } from '../db/migrate.js';
import { keyedMigrations, migrations } from '../db/migrations/index.js';

const ALL_MIGRATIONS = [...Object.keys(migrations), ...Object.keys(keyedMigrations)].sort();

export interface Readiness {
  ready: boolean;
  database: 'reachable' | 'unreachable';
  /** Migrations this build knows that the database has not applied (another node is migrating, or an old schema). */
  pending_migrations: string[];
}

/** For load balancers: the database answers and its schema is the one this build expects. */
export async function checkReadiness(db: Db): Promise<Readiness> {
  let applied: Set<string>;
  try {
    applied = await appliedMigrations(db);
  } catch {
    return { ready: false, database: 'unreachable', pending_migrations: ALL_MIGRATIONS };
  }
  const pending = ALL_MIGRATIONS.filter((name) => !applied.has(name));
  return { ready: pending.length === 0, database: 'reachable', pending_migrations: pending };
}
