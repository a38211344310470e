import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ENCODINGS, NOT_FOUND_FOR_SELLER_BODY, licensedSale, licenseAudit, licenseRow, manage, newSeller } from './fixtures.js';

describeEachDialect('PUT /v2/licenses/decrement_uses_count', (s) => {
  describe('200', () => {
    for (const encoding of ENCODINGS) {
      it(`counts one use less (${encoding} parameters) and audits it`, async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        await s().ctx.db.updateTable('licenses').set({ uses: 3 }).where('external_id', '=', sale.license_id).execute();
        const res = await manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key }, encoding);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.success, true);
        assert.equal(res.body.uses, 2);
        assert.equal(res.body.purchase.license_key, key);
        assert.equal((await licenseRow(s(), sale.license_id)).uses, 2);
        const audit = (await licenseAudit(s(), sale.license_id)).filter((a) => a.action === 'license.uses_decremented');
        assert.equal(audit.length, 1);
        assert.ok(!JSON.stringify(audit).includes(key));
      });
    }

    it('stays at 0 and records nothing when there is no use to take back', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      const res = await manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.uses, 0);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
      assert.equal((await licenseAudit(s(), sale.license_id)).filter((a) => a.action === 'license.uses_decremented').length, 0);
    });

    it('works on a disabled license', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ uses: 1, disabled_at: Date.now() }).where('external_id', '=', sale.license_id).execute();
      const res = await manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.uses, 0);
    });
  });

  describe('400', () => {
    it('asks for product_id when no product is given, changing nothing', async () => {
      const { seller, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ uses: 1 }).where('external_id', '=', sale.license_id).execute();
      const res = await manage(s(), 'decrement_uses_count', seller.token, { license_key: key });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /^The 'product_id' parameter is required/);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 1);
    });
  });

  describe('401', () => {
    it('refuses an unknown token', async () => {
      const { product, key } = await licensedSale(s());
      const res = await manage(s(), 'decrement_uses_count', 'tsr_at_not-a-real-token', { product_id: product.id, license_key: key });
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'The access token is invalid');
    });
  });

  describe('403', () => {
    it('refuses a token without edit_products', async () => {
      const { product, key } = await licensedSale(s());
      const reader = await newSeller(s(), 'view_profile');
      const res = await manage(s(), 'decrement_uses_count', reader.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { success: false, message: 'This endpoint requires the edit_products scope.' });
    });
  });

  describe('404', () => {
    it("answers another seller's license like an unknown one, changing nothing", async () => {
      const { product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ uses: 2 }).where('external_id', '=', sale.license_id).execute();
      const stranger = await newSeller(s());
      const res = await manage(s(), 'decrement_uses_count', stranger.token, { product_id: product.id, license_key: key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, NOT_FOUND_FOR_SELLER_BODY);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 2);
    });
  });
});
