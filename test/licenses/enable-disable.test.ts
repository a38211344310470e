import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ENCODINGS, NOT_FOUND_FOR_SELLER_BODY, licensedSale, licenseAudit, licenseRow, manage, newSeller, permalinkOf, verify } from './fixtures.js';

for (const action of ['disable', 'enable'] as const) {
  describeEachDialect(`PUT /v2/licenses/${action}`, (s) => {
    describe('200', () => {
      it(`${action}s the license named by its key in another case, answering the key as stored (decision 9)`, async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        if (action === 'enable') await s().ctx.db.updateTable('licenses').set({ disabled_at: Date.now() }).where('external_id', '=', sale.license_id).execute();
        const res = await manage(s(), action, seller.token, { product_id: product.id, license_key: ` ${key.toLowerCase()} ` });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.purchase.license_key, key);
        assert.equal((await licenseRow(s(), sale.license_id)).disabled_at !== null, action === 'disable');
      });

      for (const encoding of ENCODINGS) {
        it(`${action}s the license (${encoding} parameters), keeps uses and audits it without the key`, async () => {
          const { seller, product, sale, key } = await licensedSale(s());
          await verify(s(), { product_id: product.id, license_key: key });
          if (action === 'enable') await s().ctx.db.updateTable('licenses').set({ disabled_at: Date.now() }).where('external_id', '=', sale.license_id).execute();
          const res = await manage(s(), action, seller.token, { product_id: product.id, license_key: key }, encoding);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(res.body.success, true);
          assert.equal(res.body.uses, 1);
          assert.equal(res.body.purchase.license_key, key);
          assert.equal(res.body.purchase.sale_id, sale.id);
          const row = await licenseRow(s(), sale.license_id);
          assert.equal(row.disabled_at !== null, action === 'disable');
          assert.equal(row.uses, 1);
          const audit = (await licenseAudit(s(), sale.license_id)).filter((a) => a.action === `license.${action}d`);
          assert.equal(audit.length, 1);
          assert.equal(audit[0]!.actor_type, 'token');
          assert.equal(audit[0]!.user_id, seller.user.id);
          assert.ok(!JSON.stringify(audit).includes(key));
          const check = await verify(s(), { product_id: product.id, license_key: key });
          assert.equal(check.status, action === 'disable' ? 404 : 200);
          if (action === 'disable') assert.deepEqual(check.body, { success: false, message: 'This license key has been disabled.' });
        });
      }

      it(`answers 200 when the license is already ${action}d, under /api/v2 too, with a permalink`, async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        if (action === 'disable') await s().ctx.db.updateTable('licenses').set({ disabled_at: 1000 }).where('external_id', '=', sale.license_id).execute();
        const res = await s().client().put(`/api/v2/licenses/${action}`, {
          headers: { authorization: `Bearer ${seller.token}` },
          form: { product_permalink: permalinkOf(product).toUpperCase(), license_key: key },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const row = await licenseRow(s(), sale.license_id);
        assert.equal(row.disabled_at, action === 'disable' ? 1000 : null, 'a second disable keeps the first time');
      });
    });

    describe('400', () => {
      it('asks for product_id when no product is given', async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        const res = await manage(s(), action, seller.token, { license_key: key });
        assert.equal(res.status, 400);
        assert.equal(res.body.success, false);
        assert.match(res.body.message, new RegExp(`Please set 'product_id' to '${product.id.replace(/[+=]/g, '\\$&')}'`));
        assert.equal((await licenseRow(s(), sale.license_id)).disabled_at, null);
      });

      it('refuses a non-string license_key', async () => {
        const { seller, product } = await licensedSale(s());
        const res = await manage(s(), action, seller.token, { product_id: product.id, license_key: 12345678 }, 'json');
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, { success: false, message: "The 'license_key' parameter must be a string." });
      });
    });

    describe('401', () => {
      it('refuses a request without a token, changing nothing', async () => {
        const { product, sale, key } = await licensedSale(s());
        const res = await manage(s(), action, undefined, { product_id: product.id, license_key: key });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { success: false, error: 'The access token is invalid', message: 'The access token is invalid' });
        assert.match(res.headers.get('www-authenticate')!, /^Bearer error="invalid_token"/);
        assert.equal((await licenseRow(s(), sale.license_id)).disabled_at, null);
      });
    });

    describe('403', () => {
      it('refuses a token without edit_products', async () => {
        const { product, sale, key } = await licensedSale(s());
        const reader = await newSeller(s(), 'view_sales');
        const res = await manage(s(), action, reader.token, { product_id: product.id, license_key: key });
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, { success: false, message: 'This endpoint requires the edit_products scope.' });
        assert.equal((await licenseRow(s(), sale.license_id)).disabled_at, null);
      });
    });

    describe('404', () => {
      it("answers another seller's license exactly like an unknown one, even without a product", async () => {
        const { product, sale, key } = await licensedSale(s());
        const stranger = await newSeller(s());
        for (const params of [{ product_id: product.id, license_key: key }, { license_key: key }, { product_id: product.id, license_key: 'UNKNOWN-KEY' }]) {
          const res = await manage(s(), action, stranger.token, params);
          assert.equal(res.status, 404, JSON.stringify(params));
          assert.deepEqual(res.body, NOT_FOUND_FOR_SELLER_BODY);
        }
        assert.equal((await licenseRow(s(), sale.license_id)).disabled_at, null);
        assert.equal((await licenseAudit(s(), sale.license_id)).filter((a) => a.action !== 'license.issued').length, 0);
      });

      it('refuses the right key with another product of the seller', async () => {
        const { seller, key } = await licensedSale(s());
        const other = await s().ctx.db.selectFrom('products').select('external_id').where('seller_id', '=', seller.user.id).executeTakeFirstOrThrow();
        const res = await manage(s(), action, seller.token, { product_id: other.external_id + 'x', license_key: key });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, NOT_FOUND_FOR_SELLER_BODY);
      });

      it('refuses a license whose purchase access was revoked', async () => {
        const { seller, product, sale, key } = await licensedSale(s());
        await s().ctx.db.updateTable('purchases').set({ access_revoked_at: Date.now() }).where('external_id', '=', sale.id).execute();
        const res = await manage(s(), action, seller.token, { product_id: product.id, license_key: key });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, { success: false, message: 'Access to the purchase associated with this license has expired.' });
      });
    });
  });
}
