import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Shared rate-limit counters (issue 16.2, src/http/shared-limiter.ts): one row per limiter, key
 * (an HMAC, never the email or address itself) and fixed window, so every process and node on the
 * database counts against the same number. Only counted events write (failed logins, failed
 * verifications, token requests…): the happy path reads at most. The rows are worth nothing
 * after their window, so on PostgreSQL the table is UNLOGGED (no WAL; emptied after a crash,
 * which only forgives the current windows) and `expires_at` lets any node prune it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const unlogged = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('rate_limit_counters')
    .$call((t) => (unlogged ? t.modifyFront(sql`unlogged`) : t))
    .addColumn('limiter', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_counters_pk', ['limiter', 'key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limit_counters_expiry').on('rate_limit_counters').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_counters').execute();
}
