import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { manage } from '../licenses/fixtures.js';
import { activations, assertInstance, assertLicenseKey, assertMeta, lemon, metaOf, seatedSale } from './fixtures.js';

describeEachDialect('POST /v1/licenses/validate', (s) => {
  describe('200', () => {
    it('a key without instance_id: valid, instance null, status inactive before any activation', async () => {
      const sale = await seatedSale(s(), 5);
      const res = await lemon(s(), 'validate', { license_key: sale.key }, 'json');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['valid', 'error', 'license_key', 'meta', 'instance']);
      assert.equal(res.body.valid, true);
      assert.equal(res.body.error, null);
      assert.equal(res.body.instance, null);
      assertLicenseKey(res.body, { id: sale.sale.license_id, key: sale.key, status: 'inactive', limit: 5, usage: 0 });
      assertMeta(res.body, await metaOf(s(), sale));
    });

    it('with an instance_id: that instance, and it is seen (last_seen_at stored)', async () => {
      const sale = await seatedSale(s(), 5);
      const activated = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'box' });
      await s().ctx.db.updateTable('license_activations').set({ last_seen_at: 1000 }).where('id', '=', activated.body.instance.id).execute();
      const res = await lemon(s(), 'validate', { license_key: sale.key, instance_id: activated.body.instance.id });
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, true);
      assertInstance(res.body.instance, { id: activated.body.instance.id, name: 'box' });
      assertLicenseKey(res.body, { id: sale.sale.license_id, key: sale.key, status: 'active', limit: 5, usage: 1 });
      const [stored] = await activations(s(), sale.sale.license_id);
      assert.ok(stored!.last_seen_at > 1000);
    });

    it('a disabled key: valid false, the reason, status disabled', async () => {
      const sale = await seatedSale(s());
      await manage(s(), 'disable', sale.seller.token, { product_id: sale.product.id, license_key: sale.key });
      const res = await lemon(s(), 'validate', { license_key: sale.key });
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, false);
      assert.equal(res.body.error, 'This license key is disabled.');
      assert.equal(res.body.license_key.status, 'disabled');
    });

    it('a browser may call it from any origin (CORS preflight)', async () => {
      const res = await s().client().request('OPTIONS', '/v1/licenses/validate', {
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    });
  });

  describe('404', () => {
    it('an unknown key', async () => {
      const res = await lemon(s(), 'validate', { license_key: 'nope' });
      assert.deepEqual([res.status, res.body], [404, { valid: false, error: 'license_key not found.' }]);
    });

    it("an unknown instance, a malformed one, and another license's instance", async () => {
      const sale = await seatedSale(s());
      const other = await seatedSale(s());
      const foreign = (await lemon(s(), 'activate', { license_key: other.key, instance_name: 'x' })).body.instance.id;
      for (const instance_id of ['7d7b8a3e-1111-4222-8333-444455556666', 'not-a-uuid', foreign]) {
        const res = await lemon(s(), 'validate', { license_key: sale.key, instance_id });
        assert.deepEqual([res.status, res.body], [404, { valid: false, error: 'instance_id not found.' }]);
      }
    });
  });

  describe('422', () => {
    it('no license_key', async () => {
      const res = await lemon(s(), 'validate', {});
      assert.deepEqual([res.status, res.body], [422, { valid: false, error: 'The license key field is required.' }]);
    });
  });
});
