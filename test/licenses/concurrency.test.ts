import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, startServer, type TestServer } from '../support/harness.js';
import { licensedSale, licenseAudit, licenseRow, manage, verify } from './fixtures.js';

// Real HTTP, many requests in flight at once. The failed-verification limit is lifted here:
// the rotate race makes hundreds of refused verifications from one address on purpose.
for (const dialect of DIALECTS) {
  describe(`License API under concurrency [${dialect}]`, () => {
    let server: TestServer;
    const s = () => server;
    before(async () => {
      server = await startServer(dialect, { TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '100000' });
    });
    after(async () => {
      await server.close();
    });

    it('500 concurrent verifies of one key count exactly 500 uses, each answered with its own count', async () => {
      const { product, sale, key } = await licensedSale(s());
      const results = await Promise.all(Array.from({ length: 500 }, () => verify(s(), { product_id: product.id, license_key: key })));
      assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
      const uses = results.map((r) => r.body.uses as number).sort((a, b) => a - b);
      assert.deepEqual(uses, Array.from({ length: 500 }, (_, i) => i + 1));
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 500);
    });

    it('concurrent verifies of many keys, some not counting, leave each license exactly its counted uses', async () => {
      const sales = await Promise.all(Array.from({ length: 5 }, () => licensedSale(s())));
      const calls = sales.flatMap(({ product, key }, i) =>
        Array.from({ length: 40 }, (_, j) => verify(s(), { product_id: product.id, license_key: key, increment_uses_count: j % 4 === 0 ? 'false' : 'true' }, i % 2 ? 'json' : 'form')),
      );
      const results = await Promise.all(calls);
      assert.ok(results.every((r) => r.status === 200));
      for (const { sale } of sales) assert.equal((await licenseRow(s(), sale.license_id)).uses, 30);
    });

    it('concurrent decrements never take uses below 0, and each taken use is audited once', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ uses: 40 }).where('external_id', '=', sale.license_id).execute();
      const results = await Promise.all(
        Array.from({ length: 100 }, () => manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key })),
      );
      assert.ok(results.every((r) => r.status === 200 && r.body.uses >= 0));
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
      assert.equal((await licenseAudit(s(), sale.license_id)).filter((a) => a.action === 'license.uses_decremented').length, 40);
    });

    it('concurrent verifies and decrements add up exactly', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ uses: 100 }).where('external_id', '=', sale.license_id).execute();
      const calls = Array.from({ length: 200 }, (_, i) =>
        i % 2 ? verify(s(), { product_id: product.id, license_key: key }) : manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key }),
      );
      assert.ok((await Promise.all(calls)).every((r) => r.status === 200));
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 100);
    });

    it('a rotation racing verifications never lets both keys pass without a grace period', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      const verifyWith = (k: string) => verify(s(), { product_id: product.id, license_key: k });
      const racing = Array.from({ length: 300 }, () => verifyWith(key));
      const rotation = manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key });
      const rotated = await rotation;
      assert.equal(rotated.status, 200);
      const fresh = rotated.body.purchase.license_key as string;
      const [oldLate, newLate] = await Promise.all([
        Promise.all(Array.from({ length: 50 }, () => verifyWith(key))),
        Promise.all(Array.from({ length: 50 }, () => verifyWith(fresh))),
      ]);
      const early = await Promise.all(racing);

      // Every old-key success is ordered before the rotation, every new-key success after it.
      const oldPassed = early.filter((r) => r.status === 200);
      assert.ok(early.every((r) => r.status === 200 || r.status === 404));
      for (const r of oldPassed) assert.ok(r.body.uses <= rotated.body.uses, `old key passed with uses ${r.body.uses} after the rotation at ${rotated.body.uses}`);
      assert.ok(oldLate.every((r) => r.status === 404), 'the old key must fail once the rotation answered');
      assert.ok(newLate.every((r) => r.status === 200 && r.body.uses > rotated.body.uses));
      assert.equal(rotated.body.uses, oldPassed.length);
      assert.equal(new Set(oldPassed.map((r) => r.body.uses)).size, oldPassed.length);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, oldPassed.length + 50);
    });
  });
}
