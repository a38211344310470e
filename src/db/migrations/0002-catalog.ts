import { sql, type Kysely } from 'kysely';

// Catalog (products, variants, offer codes, custom fields) and sales (purchases, subscriptions,
// resource subscriptions). Conventions as in 0001: text ids, bigint epoch ms, integer 0/1 flags, JSON text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unique_permalink', 'text', (c) => c.notNull().unique())
    .addColumn('custom_permalink', 'text')
    .addColumn('price', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('usd'))
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_licensed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('subscription_duration', 'text')
    .addColumn('customizable_price', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_purchase_count', 'integer')
    .addColumn('require_shipping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('products_seller_created').on('products').columns(['seller_id', 'created_at']).execute();
  // A seller's custom permalinks are unique regardless of case among live products.
  await sql`create unique index products_seller_custom_permalink on products (seller_id, lower(custom_permalink)) where deleted_at is null and custom_permalink is not null`.execute(db);
  await sql`create index products_custom_permalink_lower on products (lower(custom_permalink))`.execute(db);

  await db.schema
    .createTable('variant_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('variant_categories_product').on('variant_categories').column('product_id').execute();

  await db.schema
    .createTable('variants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('variant_category_id', 'text', (c) => c.notNull().references('variant_categories.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('price_difference_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('max_purchase_count', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('variants_category').on('variants').column('variant_category_id').execute();

  await db.schema
    .createTable('offer_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.references('products.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint')
    .addColumn('percent_off', 'integer')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('usd'))
    .addColumn('max_purchase_count', 'integer')
    .addColumn('universal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('offer_codes_seller').on('offer_codes').column('seller_id').execute();
  await db.schema.createIndex('offer_codes_product').on('offer_codes').column('product_id').execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('text'))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('global', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('collect_per_product', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_fields_seller').on('custom_fields').column('seller_id').execute();

  await db.schema
    .createTable('product_custom_fields')
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('custom_field_id', 'text', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('product_custom_fields_pk', ['product_id', 'custom_field_id'])
    .execute();
  await db.schema.createIndex('product_custom_fields_field').on('product_custom_fields').column('custom_field_id').execute();

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text')
    .addColumn('price', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('usd'))
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('offer_code_id', 'text', (c) => c.references('offer_codes.id'))
    .addColumn('order_number', 'bigint', (c) => c.notNull().unique())
    .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded_amount_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('chargebacked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disputed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('access_revoked_at', 'bigint')
    .addColumn('shipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tracking_url', 'text')
    .addColumn('subscription_id', 'text')
    .addColumn('subscription_ended_at', 'bigint')
    .addColumn('subscription_cancelled_at', 'bigint')
    .addColumn('subscription_failed_at', 'bigint')
    .addColumn('is_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('purchases_seller_created')
    .on('purchases')
    .columns(['seller_id', 'created_at', 'order_number'])
    .execute();
  await db.schema.createIndex('purchases_product').on('purchases').column('product_id').execute();
  await db.schema.createIndex('purchases_seller_email').on('purchases').columns(['seller_id', 'email']).execute();
  await db.schema.createIndex('purchases_subscription').on('purchases').column('subscription_id').execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('original_purchase_id', 'text', (c) => c.notNull())
    .addColumn('recurrence', 'text', (c) => c.notNull())
    .addColumn('user_requested_cancellation_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_product').on('subscriptions').columns(['product_id', 'created_at']).execute();

  await db.schema
    .createTable('resource_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('post_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('resource_subscriptions_user_app')
    .on('resource_subscriptions')
    .columns(['user_id', 'application_id', 'resource_name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'resource_subscriptions',
    'subscriptions',
    'purchases',
    'product_custom_fields',
    'custom_fields',
    'offer_codes',
    'variants',
    'variant_categories',
    'products',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
