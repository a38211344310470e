import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ENCODINGS, NOT_FOUND_BODY, NOT_FOUND_FOR_SELLER_BODY, licensedSale, licenseAudit, licenseRow, manage, newSeller, verify } from './fixtures.js';

const KEY = /^[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}$/;

describeEachDialect('PUT /v2/licenses/rotate', (s) => {
  describe('200', () => {
    for (const encoding of ENCODINGS) {
      it(`gives a new key (${encoding} parameters), keeps uses and the purchase, and kills the old key at once`, async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        await verify(s(), { product_id: product.id, license_key: key });
        const res = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key }, encoding);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.success, true);
        assert.equal(res.body.uses, 1);
        const fresh = res.body.purchase.license_key;
        assert.match(fresh, KEY);
        assert.notEqual(fresh, key);
        assert.equal(res.body.purchase.sale_id, sale.id);
        assert.equal(res.body.grace_ends_at, undefined);

        const old = await verify(s(), { product_id: product.id, license_key: key });
        assert.equal(old.status, 404);
        assert.deepEqual(old.body, NOT_FOUND_BODY);
        const now = await verify(s(), { product_id: product.id, license_key: fresh });
        assert.equal(now.status, 200);
        assert.equal(now.body.uses, 2);
        assert.equal(now.body.rotated, undefined);

        const row = await licenseRow(s(), sale.license_id);
        assert.equal(row.key_hash, s().ctx.keys.hash(fresh));
        assert.equal(s().ctx.keys.decrypt(row.key_encrypted), fresh);
        assert.equal(row.grace_key_hash, null);
        const audit = (await licenseAudit(s(), sale.license_id)).filter((a) => a.action === 'license.rotated');
        assert.equal(audit.length, 1);
        assert.equal(audit[0]!.actor_type, 'token');
        assert.ok(!JSON.stringify(audit).includes(key) && !JSON.stringify(audit).includes(fresh));

        const shown = await s().client().get(`/v2/sales/${encodeURIComponent(sale.id)}`, { headers: { authorization: `Bearer ${seller.token}` } });
        assert.equal(shown.body.sale.license_key, fresh);
      });
    }

    it("gives a disabled license an enabled key, as seed 002's disable-then-rotate recipe expects (decision 10)", async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      const disabled = await manage(s(), 'disable', seller.token, { product_id: product.id, license_key: key });
      assert.equal(disabled.status, 200);
      const res = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.re_enabled, true);
      const fresh = res.body.purchase.license_key;
      assert.match(fresh, KEY);
      const leaked = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(leaked.status, 404);
      const customer = await verify(s(), { product_id: product.id, license_key: fresh });
      assert.equal(customer.status, 200, JSON.stringify(customer.body));
      assert.equal(customer.body.success, true);
      assert.equal((await licenseRow(s(), sale.license_id)).disabled_at, null);
      const audit = (await licenseAudit(s(), sale.license_id)).find((a) => a.action === 'license.rotated')!;
      assert.equal(JSON.parse(audit.metadata!).re_enabled, true);
    });

    it('says nothing about re-enabling when the license was enabled', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      const res = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key.toLowerCase() });
      assert.equal(res.status, 200);
      assert.equal(res.body.re_enabled, undefined);
      const audit = (await licenseAudit(s(), sale.license_id)).find((a) => a.action === 'license.rotated')!;
      assert.equal(JSON.parse(audit.metadata!).re_enabled, false);
    });

    it('keeps the old key verifying during a grace period, marked rotated, and never reveals the new key to it', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      const before = Date.now();
      const res = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key, grace_period: '3600' });
      assert.equal(res.status, 200);
      const fresh = res.body.purchase.license_key;
      const graceEnd = Date.parse(res.body.grace_ends_at);
      assert.ok(graceEnd >= Math.floor(before / 1000) * 1000 + 3600_000 && graceEnd <= Date.now() + 3600_000, res.body.grace_ends_at);

      const old = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(old.status, 200);
      assert.equal(old.body.rotated, true);
      assert.equal(old.body.grace_ends_at, res.body.grace_ends_at);
      assert.equal(old.body.purchase.license_key, key);
      assert.ok(!JSON.stringify(old.body).includes(fresh));
      assert.equal(old.body.uses, 1);
      const now = await verify(s(), { product_id: product.id, license_key: fresh });
      assert.equal(now.body.uses, 2);
      assert.equal(now.body.rotated, undefined);

      // the grace period ends
      await s().ctx.db.updateTable('licenses').set({ grace_ends_at: Date.now() - 1 }).where('external_id', '=', sale.license_id).execute();
      const late = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(late.status, 404);
      assert.deepEqual(late.body, NOT_FOUND_BODY);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 2);
      const audit = (await licenseAudit(s(), sale.license_id)).find((a) => a.action === 'license.rotated')!;
      assert.equal(JSON.parse(audit.metadata!).grace_period, 3600);
    });

    it('ends an earlier grace period when rotating again, and refuses mutations by the retired key', async () => {
      const { seller, product, key } = await licensedSale(s());
      const first = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key, grace_period: 600 }, 'json');
      const second = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: first.body.purchase.license_key });
      assert.equal(second.status, 200);
      assert.equal((await verify(s(), { product_id: product.id, license_key: key })).status, 404);
      assert.equal((await verify(s(), { product_id: product.id, license_key: first.body.purchase.license_key })).status, 404);
      assert.equal((await verify(s(), { product_id: product.id, license_key: second.body.purchase.license_key })).status, 200);
    });

    it('lets only the retired key of the latest rotation verify in its grace period', async () => {
      const { seller, product, key } = await licensedSale(s());
      const first = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key, grace_period: 600 });
      const retired = await manage(s(), 'disable', seller.token, { product_id: product.id, license_key: key });
      assert.equal(retired.status, 404, 'a retired key does not name the license for the seller');
      assert.deepEqual(retired.body, NOT_FOUND_FOR_SELLER_BODY);
      assert.equal((await verify(s(), { product_id: product.id, license_key: first.body.purchase.license_key })).status, 200);
    });
  });

  describe('400', () => {
    for (const grace of ['-1', 'soon', '604801', '1.5']) {
      it(`refuses grace_period ${grace} and keeps the key`, async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        const res = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key, grace_period: grace });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, { success: false, message: "The 'grace_period' parameter must be a whole number of seconds from 0 to 604800 (7 days)." });
        assert.equal((await licenseRow(s(), sale.license_id)).key_hash, s().ctx.keys.hash(key));
      });
    }

    it('asks for product_id when no product is given', async () => {
      const { seller, key } = await licensedSale(s());
      const res = await manage(s(), 'rotate', seller.token, { license_key: key });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /^The 'product_id' parameter is required/);
    });
  });

  describe('401', () => {
    it('refuses a request without a token and keeps the key', async () => {
      const { product, sale, key } = await licensedSale(s());
      const res = await manage(s(), 'rotate', undefined, { product_id: product.id, license_key: key });
      assert.equal(res.status, 401);
      assert.equal((await licenseRow(s(), sale.license_id)).key_hash, s().ctx.keys.hash(key));
    });
  });

  describe('403', () => {
    it('refuses a token without edit_products', async () => {
      const { product, sale, key } = await licensedSale(s());
      const reader = await newSeller(s(), 'view_sales');
      const res = await manage(s(), 'rotate', reader.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { success: false, message: 'This endpoint requires the edit_products scope.' });
      assert.equal((await licenseRow(s(), sale.license_id)).key_hash, s().ctx.keys.hash(key));
    });
  });

  describe('404', () => {
    it("answers another seller's license like an unknown one, and keeps its key", async () => {
      const { product, sale, key } = await licensedSale(s());
      const stranger = await newSeller(s());
      for (const params of [{ product_id: product.id, license_key: key }, { license_key: key }, { product_id: product.id, license_key: 'NOT-A-KEY' }]) {
        const res = await manage(s(), 'rotate', stranger.token, params);
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, NOT_FOUND_FOR_SELLER_BODY);
      }
      assert.equal((await licenseRow(s(), sale.license_id)).key_hash, s().ctx.keys.hash(key));
      assert.equal((await verify(s(), { product_id: product.id, license_key: key })).status, 200);
    });
  });
});
