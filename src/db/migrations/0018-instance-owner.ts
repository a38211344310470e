import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The instance owner and the operator's levers over accounts (issue 18, items 1 and 2):
 * - `users.is_owner`: owners see the admin pages. An existing instance's oldest account becomes
 *   its owner here; on a new one the first account does (src/admin/owner.ts).
 * - `users.disabled_at`: a disabled account's sessions, access tokens and API keys are refused.
 *   The credential lookups join `users` and read it in the same statement (no cache).
 * - `users.licenses_stopped_at`: the owner also stopped the account's licenses; license views
 *   read it, so a trigger bumps `license_view_epoch` when it changes (see migration 0007).
 * - `account_invitations`: single-use, expiring sign-up links (only their HMAC is stored).
 * - `account_capabilities`: per-account overrides of the capability defaults (null = default).
 */
const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('is_owner', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('licenses_stopped_at', 'bigint').execute();
  await sql`update users set is_owner = 1 where id = (select id from users order by created_at, id limit 1)`.execute(db);

  await db.schema
    .createTable('account_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by', 'text')
    .addColumn('cancelled_at', 'bigint')
    .execute();
  await db.schema.createIndex('account_invitations_created').on('account_invitations').column('created_at').execute();

  await db.schema
    .createTable('account_capabilities')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('api_keys', 'integer')
    .addColumn('flows', 'integer')
    .addColumn('email_step', 'integer')
    .addColumn('http_step', 'integer')
    // Limits: null = the default, -1 = unlimited, n >= 0 = at most n.
    .addColumn('max_flows', 'integer')
    .addColumn('max_runs_per_day', 'integer')
    .addColumn('max_api_keys', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // "Runs per day" counts an account's runs since midnight UTC.
  await db.schema.createIndex('flow_runs_user_created').on('flow_runs').columns(['user_id', 'created_at']).execute();

  const bump = 'update license_view_epoch set epoch = epoch + 1 where id = 1;';
  if (isPostgres(db)) {
    await sql`create trigger users_licenses_stopped_view_epoch after update of licenses_stopped_at on users for each statement execute function bump_license_view_epoch()`.execute(db);
  } else {
    await sql.raw(`create trigger users_licenses_stopped_view_epoch after update of licenses_stopped_at on users begin ${bump} end`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) await sql`drop trigger if exists users_licenses_stopped_view_epoch on users`.execute(db);
  else await sql`drop trigger if exists users_licenses_stopped_view_epoch`.execute(db);
  await db.schema.dropIndex('flow_runs_user_created').execute();
  await db.schema.dropTable('account_capabilities').execute();
  await db.schema.dropTable('account_invitations').execute();
  for (const column of ['licenses_stopped_at', 'disabled_at', 'is_owner']) await db.schema.alterTable('users').dropColumn(column).execute();
}
