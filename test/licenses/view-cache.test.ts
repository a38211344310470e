import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LicenseView } from '../../src/licenses/store.js';
import { LicenseViewCache } from '../../src/licenses/verify/cache.js';
import { DIALECTS, createTestDatabase, startServer, type TestServer } from '../support/harness.js';
import { NOT_FOUND_BODY, licensedSale, licenseRow, manage, verify } from './fixtures.js';

// Verification keeps license views in memory (src/licenses/verify/cache.ts). These cases verify
// through server B, so B holds the view, then change what it shows through server A (or a
// plain SQL statement, as another tool would): B's next verification must see the change.

const epochOf = async (s: TestServer) =>
  Number((await s.ctx.db.selectFrom('license_view_epoch').select('epoch').executeTakeFirstOrThrow()).epoch);

async function twoServers(dialect: (typeof DIALECTS)[number], body: (a: TestServer, b: TestServer) => Promise<void>) {
  const database = await createTestDatabase(dialect);
  const a = await startServer(dialect, database.env);
  const b = await startServer(dialect, database.env);
  try {
    await body(a, b);
  } finally {
    await a.close();
    await b.close();
    await database.drop();
  }
}

describe('LicenseViewCache', () => {
  const view = (id: string) => ({ id }) as LicenseView;

  it('keeps views by key until the epoch moves, oldest out first once full, nothing at capacity 0', () => {
    const cache = new LicenseViewCache(2);
    cache.sync(7);
    const a = cache.remember('KEY-A', 'hash-a', view('a'));
    assert.deepEqual(a, { view: view('a'), keyHash: 'hash-a' });
    cache.remember('KEY-B', 'hash-b', view('b'));
    assert.equal(cache.get('KEY-A'), a);
    cache.sync(7);
    assert.equal(cache.size, 2, 'the same epoch keeps every view');
    cache.remember('KEY-C', 'hash-c', view('c'));
    assert.equal(cache.get('KEY-A'), undefined, 'the oldest went first');
    assert.deepEqual([cache.get('KEY-B')?.view.id, cache.get('KEY-C')?.view.id], ['b', 'c']);
    cache.sync(8);
    assert.equal(cache.size, 0, 'a new epoch empties it');
    assert.equal(cache.get('KEY-B'), undefined);

    const off = new LicenseViewCache(0);
    off.sync(1);
    assert.equal(off.remember('KEY-A', 'hash-a', view('a')).view.id, 'a');
    assert.equal(off.size, 0);
  });
});

for (const dialect of DIALECTS) {
  describe(`license views cached across two servers on one database [${dialect}]`, () => {
    it('counting uses leaves the epoch alone; uses changed elsewhere are counted from, not from the cache', async () => {
      await twoServers(dialect, async (a, b) => {
        const { seller, product, sale, key } = await licensedSale(a);
        const params = { product_id: product.id, license_key: key };
        assert.equal((await verify(b, params)).body.uses, 1);
        const epoch = await epochOf(a);
        assert.equal((await verify(b, params)).body.uses, 2);
        assert.equal((await verify(a, params)).body.uses, 3);
        assert.equal(await epochOf(a), epoch, 'a counted use must not invalidate cached views');

        const down = await manage(a, 'decrement_uses_count', seller.token, params);
        assert.equal(down.status, 200);
        assert.equal(down.body.uses, 2);
        const res = await verify(b, params);
        assert.equal(res.status, 200);
        assert.equal(res.body.uses, 3);
        const quiet = await verify(b, { ...params, increment_uses_count: 'false' });
        assert.equal(quiet.body.uses, 3);
        assert.equal((await licenseRow(a, sale.license_id)).uses, 3);
      });
    });

    it('a disable, an enable and a rotation through one server are seen by the other on its next verification', async () => {
      await twoServers(dialect, async (a, b) => {
        const { seller, product, sale, key } = await licensedSale(a);
        const params = { product_id: product.id, license_key: key };
        assert.equal((await verify(b, params)).status, 200);

        assert.equal((await manage(a, 'disable', seller.token, params)).status, 200);
        const disabled = await verify(b, params);
        assert.equal(disabled.status, 404);
        assert.deepEqual(disabled.body, { success: false, message: 'This license key has been disabled.' });

        assert.equal((await manage(a, 'enable', seller.token, params)).status, 200);
        const enabled = await verify(b, params);
        assert.equal(enabled.status, 200);
        assert.equal(enabled.body.uses, 2);

        const rotated = await manage(a, 'rotate', seller.token, params);
        assert.equal(rotated.status, 200);
        const newKey = rotated.body.purchase.license_key;
        const old = await verify(b, params);
        assert.equal(old.status, 404);
        assert.deepEqual(old.body, NOT_FOUND_BODY);
        const fresh = await verify(b, { product_id: product.id, license_key: newKey });
        assert.equal(fresh.status, 200);
        assert.equal(fresh.body.uses, 3);
        assert.equal(fresh.body.purchase.license_key, newKey);
        assert.equal((await licenseRow(a, sale.license_id)).uses, 3);
      });
    });

    it('a product renamed, a sale refunded and access revoked by plain SQL all show on the next verification', async () => {
      await twoServers(dialect, async (a, b) => {
        const { seller, product, sale, key } = await licensedSale(a);
        const params = { product_id: product.id, license_key: key };
        const first = await verify(b, params);
        assert.equal(first.body.purchase.product_name, 'Pro App');
        assert.equal(first.body.purchase.refunded, false);

        const renamed = await a.client().put(`/v2/products/${product.id}`, { form: { access_token: seller.token, name: 'Pro App 2' } });
        assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
        assert.equal((await verify(b, params)).body.purchase.product_name, 'Pro App 2');

        const refunded = await a.client().put(`/v2/sales/${sale.id}/refund`, { form: { access_token: seller.token } });
        assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
        assert.equal((await verify(b, params)).body.purchase.refunded, true);

        await a.ctx.db.updateTable('purchases').set({ access_revoked_at: Date.now() }).where('external_id', '=', sale.id).execute();
        const revoked = await verify(b, params);
        assert.equal(revoked.status, 404);
        assert.deepEqual(revoked.body, { success: false, message: 'Access to the purchase associated with this license has expired.' });
        assert.equal((await licenseRow(a, sale.license_id)).uses, 3, 'the refused verification counted no use');
      });
    });
  });

  describe(`TESSERA_LICENSE_CACHE_SIZE=0 [${dialect}]`, () => {
    it('verifies, counts and sees a disable with the cache turned off', async () => {
      const s = await startServer(dialect, { TESSERA_LICENSE_CACHE_SIZE: '0' });
      try {
        const { seller, product, sale, key } = await licensedSale(s);
        const params = { product_id: product.id, license_key: key };
        assert.equal((await verify(s, params)).body.uses, 1);
        const second = await verify(s, params);
        assert.equal(second.status, 200);
        assert.equal(second.body.uses, 2);
        assert.equal(second.body.purchase.license_key, key);
        assert.equal((await manage(s, 'disable', seller.token, params)).status, 200);
        assert.equal((await verify(s, params)).status, 404);
        assert.equal((await licenseRow(s, sale.license_id)).uses, 2);
      } finally {
        await s.close();
      }
    });
  });
}
