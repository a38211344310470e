import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

/** Issue 11.5: a NUL byte (PostgreSQL text cannot hold it) is a 400 at the edge on both dialects. */
describeEachDialect('NUL bytes and control characters in parameters', (s) => {
  describe('400', () => {
    it('refuses NUL in path ids, query strings, form and JSON bodies, in each family shape, storing nothing', async () => {
      const seller = await sellerWithToken(s());
      const bearer = { authorization: `Bearer ${seller.token}` };
      const anon = s().client();
      const cases = [
        { label: 'v2 path id', res: () => anon.get('/v2/products/ab%00cd', { headers: bearer }), shape: 'v2' },
        { label: 'v2 path id (tab)', res: () => anon.get('/v2/products/ab%09cd', { headers: bearer }), shape: 'v2' },
        { label: 'v2 query', res: () => anon.get('/v2/sales?email=a%00b', { headers: bearer }), shape: 'v2' },
        { label: 'v2 form', res: () => anon.post('/v2/products', { headers: bearer, form: { name: 'a\u0000b', price: '100' } }), shape: 'v2' },
        { label: 'v2 json', res: () => anon.post('/v2/products', { headers: bearer, json: { name: 'a\u0000b', price: 100 } }), shape: 'v2' },
        { label: 'license verify', res: () => anon.post('/v2/licenses/verify', { form: { product_id: 'x\u0000', license_key: 'k' } }), shape: 'v2' },
        { label: 'api path id', res: () => seller.client.get('/api/applications/a%00b'), shape: 'api' },
        { label: 'api json', res: () => seller.client.post('/api/applications', { json: { name: 'a\u0000', redirect_uri: 'http://127.0.0.1' } }), shape: 'api' },
        { label: 'api key name in a JSON key', res: () => seller.client.post('/api/api-keys', { json: { 'na\u0001me': 'x' } }), shape: 'api' },
        { label: 'gumloop query', res: () => anon.get('/api/v1/get_pl_run?run_id=a%00b', { headers: { authorization: 'Bearer x' } }), shape: 'gumloop' },
        { label: 'oauth form', res: () => anon.post('/oauth/token', { form: { grant_type: 'password\u0000' } }), shape: 'oauth' },
      ];
      for (const c of cases) {
        const res = await c.res();
        assert.equal(res.status, 400, `${c.label}: ${res.status} ${res.text.slice(0, 200)}`);
        if (c.shape === 'v2') assert.deepEqual(Object.keys(res.body).sort(), ['message', 'success'], c.label);
        if (c.shape === 'api') assert.equal(res.body.error, 'validation_failed', c.label);
        if (c.shape === 'gumloop') assert.equal(res.body.error, 'Bad Request', c.label);
        if (c.shape === 'oauth') assert.equal(res.body.error, 'invalid_request', c.label);
      }
      const products = await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', seller.user.id).execute();
      assert.equal(products.length, 0);
      const apps = await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', seller.user.id).execute();
      assert.equal(apps.length, 1);
    });
  });
  describe('200', () => {
    it('keeps tabs and new lines inside body text', async () => {
      const seller = await sellerWithToken(s());
      const res = await s().client().post('/v2/products', { headers: { authorization: `Bearer ${seller.token}` }, form: { name: 'Tab\there', price: '100', description: 'line one\r\nline two' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.product.name, 'Tab\there');
      const row = await s().ctx.db.selectFrom('products').select(['name', 'description']).where('seller_id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.equal(row.description, 'line one\r\nline two');
    });
  });
});
