import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { newSeller, send } from './fixtures.js';
import { activations, lemon, seatedSale } from '../lemonsqueezy/fixtures.js';

const list = (s: TestServer, token: string | undefined, licenseId: string) =>
  s.client().get(`/v2/licenses/${encodeURIComponent(licenseId)}/activations`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const remove = (s: TestServer, token: string, licenseId: string, instanceId: string) =>
  s.client().request('DELETE', `/v2/licenses/${encodeURIComponent(licenseId)}/activations/${instanceId}`, { headers: { authorization: `Bearer ${token}` } });
const setLimit = (s: TestServer, token: string, licenseId: string, value: string) =>
  send(s.client(), 'PUT', `/v2/licenses/${encodeURIComponent(licenseId)}/activation_limit`, { access_token: token, activation_limit: value });

describeEachDialect('GET/DELETE /v2/licenses/:license_id/activations, PUT …/activation_limit, products activation_limit', (s) => {
  describe('200', () => {
    it("lists a license's instances oldest first with the seat limit and its source", async () => {
      const sale = await seatedSale(s(), 3);
      const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'first', fingerprint: 'f1' });
      const b = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'second' });
      const res = await list(s(), sale.seller.token, sale.sale.license_id);
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.equal(res.body.license_id, sale.sale.license_id);
      assert.deepEqual([res.body.activation_limit, res.body.activation_limit_source, res.body.activation_usage], [3, 'product', 2]);
      assert.deepEqual(res.body.activations.map((x: any) => [x.id, x.name, x.fingerprint, x.ip_country]), [
        [a.body.instance.id, 'first', 'f1', null],
        [b.body.instance.id, 'second', null, null],
      ]);
      assert.match(res.body.activations[0].last_seen_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('DELETE frees a seat, audited with the token as actor', async () => {
      const sale = await seatedSale(s(), 1);
      const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'lost laptop' });
      const res = await remove(s(), sale.seller.token, sale.sale.license_id, a.body.instance.id);
      assert.deepEqual([res.status, res.body], [200, { success: true, message: 'The activation was deleted successfully.', activation_usage: 0, activation_limit: 1 }]);
      assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'license.deactivated').execute();
      assert.equal(audit.filter((e) => JSON.parse(e.metadata!).instance_id === a.body.instance.id && e.actor_type === 'token').length, 1);
    });

    it("PUT activation_limit overrides the product's for this license, `unlimited` lifts it, `product` follows the product again", async () => {
      const sale = await seatedSale(s(), 1);
      await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'one' });
      const raised = await setLimit(s(), sale.seller.token, sale.sale.license_id, '2');
      assert.deepEqual([raised.status, raised.body.activation_limit, raised.body.activation_limit_source], [200, 2, 'license']);
      assert.equal((await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'two' })).status, 200);
      assert.equal((await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'three' })).status, 400);
      const unlimited = await setLimit(s(), sale.seller.token, sale.sale.license_id, 'unlimited');
      assert.deepEqual([unlimited.body.activation_limit, unlimited.body.activation_limit_source], [null, 'license']);
      assert.equal((await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'three' })).body.license_key.activation_limit, null);
      const back = await setLimit(s(), sale.seller.token, sale.sale.license_id, 'product');
      assert.deepEqual([back.body.activation_limit, back.body.activation_limit_source, back.body.activation_usage], [1, 'product', 3]);
      const stored = await s().ctx.db.selectFrom('audit_events').select('metadata').where('action', '=', 'license.activation_limit_changed').execute();
      assert.ok(stored.length >= 3);
    });

    it('products take activation_limit, license_file_ttl and license_file_email on create and update, and show them', async () => {
      const seller = await newSeller(s());
      const created = await send(s().client(), 'POST', '/v2/products', { access_token: seller.token, name: 'Seats', is_licensed: 'true', activation_limit: '5', license_file_ttl: '86400' });
      assert.equal(created.body.success, true);
      assert.deepEqual([created.body.product.activation_limit, created.body.product.license_file_ttl, created.body.product.license_file_email], [5, 86400, false]);
      const updated = await send(s().client(), 'PUT', `/v2/products/${created.body.product.id}`, { access_token: seller.token, activation_limit: '', license_file_email: 'true' });
      assert.deepEqual([updated.body.product.activation_limit, updated.body.product.license_file_ttl, updated.body.product.license_file_email], [null, 86400, true]);
      const bad = await send(s().client(), 'PUT', `/v2/products/${created.body.product.id}`, { access_token: seller.token, activation_limit: '0' });
      assert.equal(bad.body.success, false);
      assert.match(bad.body.message, /activation_limit/);
      const read = await s().client().get(`/v2/products/${created.body.product.id}`, { query: { access_token: seller.token } });
      assert.equal(read.body.product.activation_limit, null);
    });
  });

  describe('400', () => {
    it('a bad activation_limit changes nothing', async () => {
      const sale = await seatedSale(s(), 2);
      const res = await setLimit(s(), sale.seller.token, sale.sale.license_id, '-3');
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
      assert.match(res.body.message, /activation_limit/);
      assert.equal((await list(s(), sale.seller.token, sale.sale.license_id)).body.activation_limit_source, 'product');
    });
  });

  describe('401 / 403', () => {
    it('no token; a token without edit_products may list (view_sales) but not delete', async () => {
      const sale = await seatedSale(s(), 1);
      assert.equal((await list(s(), undefined, sale.sale.license_id)).status, 401);
      const viewer = await newSeller(s(), 'view_sales');
      assert.equal((await list(s(), viewer.token, sale.sale.license_id)).status, 404, "another seller's license is not found, even with the scope");
      const reader = await newSeller(s(), 'view_profile');
      const res = await remove(s(), reader.token, sale.sale.license_id, '7d7b8a3e-1111-4222-8333-444455556666');
      assert.equal(res.status, 403);
    });
  });

  describe('404', () => {
    it("another seller's license, an unknown one, an unknown instance: not found, nothing deleted", async () => {
      const sale = await seatedSale(s(), 1);
      const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'kept' });
      const stranger = await newSeller(s());
      const foreign = await remove(s(), stranger.token, sale.sale.license_id, a.body.instance.id);
      assert.deepEqual([foreign.status, foreign.body], [404, { success: false, message: 'That license does not exist for the provided product.', error: 'Not found' }]);
      assert.equal((await list(s(), stranger.token, sale.sale.license_id)).status, 404);
      assert.equal((await list(s(), sale.seller.token, 'unknown-license')).status, 404);
      const unknown = await remove(s(), sale.seller.token, sale.sale.license_id, '7d7b8a3e-1111-4222-8333-444455556666');
      assert.deepEqual([unknown.status, unknown.body.message], [404, 'That instance does not exist for this license.']);
      assert.equal((await activations(s(), sale.sale.license_id)).length, 1);
    });
  });
});
