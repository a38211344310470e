import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ENCODINGS, manage } from '../licenses/fixtures.js';
import { activations, assertInstance, assertLicenseKey, assertMeta, lemon, metaOf, seatedSale } from './fixtures.js';

describeEachDialect('POST /v1/licenses/activate', (s) => {
  describe('200', () => {
    for (const encoding of ENCODINGS) {
      it(`activates a key sent as ${encoding}: Lemon Squeezy's body, field by field, and one stored instance`, async () => {
        const sale = await seatedSale(s(), 3);
        const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'Ada laptop' }, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body), ['activated', 'error', 'license_key', 'meta', 'instance']);
        assert.equal(res.body.activated, true);
        assert.equal(res.body.error, null);
        assertLicenseKey(res.body, { id: sale.sale.license_id, key: sale.key, status: 'active', limit: 3, usage: 1 });
        assertMeta(res.body, await metaOf(s(), sale));
        assertInstance(res.body.instance, { name: 'Ada laptop' });
        const stored = await activations(s(), sale.sale.license_id);
        assert.equal(stored.length, 1);
        assert.equal(stored[0]!.id, res.body.instance.id);
        assert.equal(stored[0]!.name, 'Ada laptop');
      });
    }

    it('an unlimited product answers activation_limit null and takes any number of seats', async () => {
      const sale = await seatedSale(s());
      for (let i = 1; i <= 4; i++) {
        const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: `m${i}` });
        assert.equal(res.status, 200);
        assert.equal(res.body.license_key.activation_limit, null);
        assert.equal(res.body.license_key.activation_usage, i);
      }
      assert.equal((await activations(s(), sale.sale.license_id)).length, 4);
    });

    it('matches the key with surrounding spaces, and answers the stored key', async () => {
      const sale = await seatedSale(s(), 1);
      const res = await lemon(s(), 'activate', { license_key: `  ${sale.key} `, instance_name: 'x' });
      assert.equal(res.status, 200);
      assert.equal(res.body.license_key.key, sale.key);
    });

    it('the same fingerprint again reuses its seat (renamed) instead of taking another', async () => {
      const sale = await seatedSale(s(), 1);
      const first = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'old name', fingerprint: 'fp-1' });
      const again = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'new name', fingerprint: 'fp-1' });
      assert.equal(again.status, 200);
      assert.equal(again.body.instance.id, first.body.instance.id);
      assert.equal(again.body.instance.name, 'new name');
      assert.equal(again.body.license_key.activation_usage, 1);
      const stored = await activations(s(), sale.sale.license_id);
      assert.deepEqual(stored.map((a) => [a.name, a.fingerprint]), [['new name', 'fp-1']]);
    });

    it('is audited as license.activated with the seat counts (no key)', async () => {
      const sale = await seatedSale(s(), 2);
      const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'audited' });
      const events = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'license.activated').execute();
      const mine = events.filter((e) => JSON.parse(e.metadata!).instance_id === res.body.instance.id);
      assert.equal(mine.length, 1);
      assert.deepEqual(JSON.parse(mine[0]!.metadata!), {
        license_id: sale.sale.license_id, sale_id: sale.sale.id, instance_id: res.body.instance.id, instance_name: 'audited', activation_usage: 1, activation_limit: 2,
      });
      assert.ok(!mine[0]!.metadata!.includes(sale.key));
    });
  });

  describe('400', () => {
    it('past the limit: the limit sentence with license_key and meta, and no new instance', async () => {
      const sale = await seatedSale(s(), 1);
      assert.equal((await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'one' })).status, 200);
      const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'two' });
      assert.equal(res.status, 400);
      assert.deepEqual(Object.keys(res.body), ['activated', 'error', 'license_key', 'meta']);
      assert.equal(res.body.activated, false);
      assert.equal(res.body.error, 'This license key has reached the activation limit.');
      assertLicenseKey(res.body, { id: sale.sale.license_id, key: sale.key, status: 'active', limit: 1, usage: 1 });
      assertMeta(res.body, await metaOf(s(), sale));
      assert.equal((await activations(s(), sale.sale.license_id)).length, 1);
    });

    it('a disabled key: "This license key is disabled." and status disabled', async () => {
      const sale = await seatedSale(s(), 2);
      await manage(s(), 'disable', sale.seller.token, { product_id: sale.product.id, license_key: sale.key });
      const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'x' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'This license key is disabled.');
      assert.equal(res.body.license_key.status, 'disabled');
      assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
    });

    it('a JSON list as the body', async () => {
      const res = await s().client().request('POST', '/v1/licenses/activate', { raw: { body: '[1]', type: 'application/json' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.activated, false);
      assert.equal(typeof res.body.error, 'string');
    });

    it('malformed JSON answers in Lemon Squeezy\'s shape', async () => {
      const res = await s().client().request('POST', '/v1/licenses/activate', { raw: { body: '{"license_key":', type: 'application/json' } });
      assert.equal(res.status, 400);
      assert.deepEqual(Object.keys(res.body), ['activated', 'error']);
    });
  });

  describe('404', () => {
    it('an unknown key: "license_key not found."', async () => {
      const res = await lemon(s(), 'activate', { license_key: 'NOPE-NOPE', instance_name: 'x' });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { activated: false, error: 'license_key not found.' });
    });
  });

  describe('422', () => {
    it('a missing license_key', async () => {
      const res = await lemon(s(), 'activate', { instance_name: 'x' });
      assert.equal(res.status, 422);
      assert.deepEqual(res.body, { activated: false, error: 'The license key field is required.' });
    });

    it('a blank instance_name, and nothing stored', async () => {
      const sale = await seatedSale(s(), 1);
      const res = await lemon(s(), 'activate', { license_key: sale.key, instance_name: '  ' });
      assert.equal(res.status, 422);
      assert.deepEqual(res.body, { activated: false, error: 'The instance name field is required.' });
      assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
    });

    it('a number where text belongs (JSON), and an overlong name', async () => {
      const sale = await seatedSale(s(), 1);
      const number = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 42 }, 'json');
      assert.equal(number.status, 422);
      assert.equal(number.body.error, 'The instance name must be a string.');
      const long = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'x'.repeat(256) });
      assert.equal(long.status, 422);
      assert.equal(long.body.error, 'The instance name must not be greater than 255 characters.');
    });
  });
});
