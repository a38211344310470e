import type { Kysely } from 'kysely';

/**
 * Activations (instances) of licenses with seat limits, and the signing keys of offline license
 * files (src/licenses/activation-*.ts, src/licenses/license-file-*.ts).
 * - product_license_settings: a product's activation limit (null = unlimited) and license-file
 *   settings (a row only once a seller set one; none = unlimited, default TTL, no email);
 * - license_limit_overrides: a license's own limit replacing the product's (null = unlimited);
 * - license_activations: one row per instance; the seat count is the number of rows;
 * - license_signing_keys: Ed25519 keys, the private half AES-GCM-encrypted under the server secret.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('product_license_settings')
    .addColumn('product_id', 'text', (c) => c.primaryKey().references('products.id').onDelete('cascade'))
    .addColumn('activation_limit', 'integer')
    .addColumn('license_file_ttl', 'integer')
    .addColumn('license_file_email', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('license_limit_overrides')
    .addColumn('license_id', 'text', (c) => c.primaryKey().references('licenses.id').onDelete('cascade'))
    .addColumn('activation_limit', 'integer')
    .execute();

  await db.schema
    .createTable('license_activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('ip_country', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('license_activations_license').on('license_activations').columns(['license_id', 'created_at']).execute();

  await db.schema
    .createTable('license_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('signed_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('license_signing_keys').execute();
  await db.schema.dropTable('license_activations').execute();
  await db.schema.dropTable('license_limit_overrides').execute();
  await db.schema.dropTable('product_license_settings').execute();
}
