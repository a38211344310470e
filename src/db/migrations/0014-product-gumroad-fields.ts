import type { Kysely } from 'kysely';

/**
 * Gumroad's product settings that Tessera stores and shows as given (contract, Tessera's decision
 * 13): the suggested price of a pay-what-you-want product, the summary and receipt texts, the
 * product's kind (native_type) and its Discover category (taxonomy_id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('products').addColumn('suggested_price_cents', 'bigint').execute();
  await db.schema.alterTable('products').addColumn('custom_summary', 'text').execute();
  await db.schema.alterTable('products').addColumn('custom_receipt', 'text').execute();
  await db.schema.alterTable('products').addColumn('native_type', 'text', (c) => c.notNull().defaultTo('digital')).execute();
  await db.schema.alterTable('products').addColumn('taxonomy_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['taxonomy_id', 'native_type', 'custom_receipt', 'custom_summary', 'suggested_price_cents']) {
    await db.schema.alterTable('products').dropColumn(column).execute();
  }
}
