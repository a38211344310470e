import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.js';
import { describeEachDialect } from '../support/harness.js';
import { licensedProduct, licenseRow, newSeller, purchase, verify } from './fixtures.js';

const MIGRATION = '0010-license-key-normalisation';

describeEachDialect(`migration ${MIGRATION}`, (s) => {
  describe('200 after the migration', () => {
    it('re-hashes stored imported keys from their normal form, so they verify in any case; generated keys keep their HMAC', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const mixed = `Old-Key-${Date.now()}-xyz`;
      const twin = mixed.toUpperCase().replace('OLD', 'old');
      const a = await purchase(s(), seller, product.id, {}, { licenseKey: mixed });
      const generated = await purchase(s(), seller, product.id);
      // As version 1 stored them: the HMAC of the key exactly as given.
      await s().ctx.db.updateTable('licenses').set({ key_hash: s().ctx.keys.hash(mixed) }).where('external_id', '=', a.license_id).execute();
      const generatedBefore = (await licenseRow(s(), generated.license_id)).key_hash;
      const stale = await verify(s(), { product_id: product.id, license_key: mixed });
      assert.equal(stale.status, 404, 'the exact-case HMAC is not what verify looks up any more');

      await sql`delete from kysely_migration where name = ${MIGRATION}`.execute(s().ctx.db);
      await migrateToLatest(s().ctx.db, s().ctx.keys);

      const row = await licenseRow(s(), a.license_id);
      assert.equal(row.key_hash, s().ctx.keys.hash(mixed.toUpperCase()));
      assert.equal(s().ctx.keys.decrypt(row.key_encrypted), mixed, 'the key itself is kept as imported');
      assert.equal((await licenseRow(s(), generated.license_id)).key_hash, generatedBefore);
      for (const typed of [mixed, mixed.toLowerCase(), twin, ` ${mixed} `]) {
        const res = await verify(s(), { product_id: product.id, license_key: typed });
        assert.equal(res.status, 200, typed);
        assert.equal(res.body.purchase.license_key, mixed);
      }
      const applied = await sql<{ name: string }>`select name from kysely_migration where name = ${MIGRATION}`.execute(s().ctx.db);
      assert.equal(applied.rows.length, 1);
    });
  });
});
