import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ENCODINGS } from '../licenses/fixtures.js';
import { activations, assertLicenseKey, assertMeta, lemon, metaOf, seatedSale } from './fixtures.js';

describeEachDialect('POST /v1/licenses/deactivate', (s) => {
  describe('200', () => {
    for (const encoding of ENCODINGS) {
      it(`frees the seat (${encoding}): Lemon Squeezy's body, the instance gone, another activation fits`, async () => {
        const sale = await seatedSale(s(), 1);
        const activated = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'old pc' });
        const res = await lemon(s(), 'deactivate', { license_key: sale.key, instance_id: activated.body.instance.id }, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body), ['deactivated', 'error', 'license_key', 'meta']);
        assert.equal(res.body.deactivated, true);
        assert.equal(res.body.error, null);
        assertLicenseKey(res.body, { id: sale.sale.license_id, key: sale.key, status: 'inactive', limit: 1, usage: 0 });
        assertMeta(res.body, await metaOf(s(), sale));
        assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
        assert.equal((await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'new pc' })).status, 200);
      });
    }

    it('is audited as license.deactivated', async () => {
      const sale = await seatedSale(s(), 2);
      const id = (await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'a' })).body.instance.id;
      await lemon(s(), 'deactivate', { license_key: sale.key, instance_id: id });
      const events = await s().ctx.db.selectFrom('audit_events').select('metadata').where('action', '=', 'license.deactivated').execute();
      const mine = events.map((e) => JSON.parse(e.metadata!)).filter((m) => m.instance_id === id);
      assert.deepEqual(mine, [{ license_id: sale.sale.license_id, sale_id: sale.sale.id, instance_id: id, instance_name: 'a', activation_usage: 0, activation_limit: 2 }]);
    });
  });

  describe('404', () => {
    it('an instance already deactivated', async () => {
      const sale = await seatedSale(s(), 1);
      const id = (await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'a' })).body.instance.id;
      assert.equal((await lemon(s(), 'deactivate', { license_key: sale.key, instance_id: id })).status, 200);
      const again = await lemon(s(), 'deactivate', { license_key: sale.key, instance_id: id });
      assert.deepEqual([again.status, again.body], [404, { deactivated: false, error: 'instance_id not found.' }]);
    });

    it('an unknown key', async () => {
      const res = await lemon(s(), 'deactivate', { license_key: 'nope', instance_id: '7d7b8a3e-1111-4222-8333-444455556666' });
      assert.deepEqual([res.status, res.body], [404, { deactivated: false, error: 'license_key not found.' }]);
    });
  });

  describe('422', () => {
    it('no instance_id, and the instance stays', async () => {
      const sale = await seatedSale(s(), 1);
      await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'a' });
      const res = await lemon(s(), 'deactivate', { license_key: sale.key });
      assert.deepEqual([res.status, res.body], [422, { deactivated: false, error: 'The instance id field is required.' }]);
      assert.equal((await activations(s(), sale.sale.license_id)).length, 1);
    });
  });
});
