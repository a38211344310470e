import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * What a license verification presents (src/licenses/store.ts licenseView) comes from six
 * tables. Servers keep those views in memory (src/licenses/verify/cache.ts) and trust them only
 * while `license_view_epoch.epoch` is unchanged: every change to a column such a view reads
 * bumps it, from any process (server, CLI, worker) and any code path, because triggers do it.
 * `licenses.uses` is not among the columns: counting a use never invalidates a view.
 */
const WATCHED: { table: string; columns: string[] | null }[] = [
  { table: 'licenses', columns: ['external_id', 'purchase_id', 'product_id', 'seller_id', 'key_hash', 'grace_key_hash', 'grace_ends_at', 'disabled_at'] },
  { table: 'purchases', columns: null },
  { table: 'products', columns: ['external_id', 'name', 'unique_permalink', 'custom_permalink', 'subscription_duration'] },
  { table: 'users', columns: ['external_id'] },
  { table: 'offer_codes', columns: null },
  { table: 'subscriptions', columns: null },
];

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('license_view_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into license_view_epoch (id, epoch) values (1, 0)`.execute(db);

  if (isPostgres(db)) {
    await sql`create function bump_license_view_epoch() returns trigger language plpgsql as $$
      begin update license_view_epoch set epoch = epoch + 1 where id = 1; return null; end $$`.execute(db);
    for (const { table, columns } of WATCHED) {
      const update = columns ? `update of ${columns.join(', ')}` : 'update';
      await sql
        .raw(`create trigger ${table}_view_epoch after ${update} or delete on ${table} for each statement execute function bump_license_view_epoch()`)
        .execute(db);
    }
    return;
  }
  for (const { table, columns } of WATCHED) {
    const bump = 'update license_view_epoch set epoch = epoch + 1 where id = 1;';
    const update = columns ? `update of ${columns.join(', ')}` : 'update';
    await sql.raw(`create trigger ${table}_view_epoch_update after ${update} on ${table} begin ${bump} end`).execute(db);
    await sql.raw(`create trigger ${table}_view_epoch_delete after delete on ${table} begin ${bump} end`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    for (const { table } of WATCHED) await sql.raw(`drop trigger if exists ${table}_view_epoch on ${table}`).execute(db);
    await sql`drop function if exists bump_license_view_epoch()`.execute(db);
  } else {
    for (const { table } of WATCHED) {
      await sql.raw(`drop trigger if exists ${table}_view_epoch_update`).execute(db);
      await sql.raw(`drop trigger if exists ${table}_view_epoch_delete`).execute(db);
    }
  }
  await db.schema.dropTable('license_view_epoch').execute();
}
