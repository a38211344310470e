import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

describeEachDialect('GET /v2/meta', (s) => {
  describe('200', () => {
    it("describes the calling token: application, scopes, creation, expiry, last use", async () => {
      const { token, application } = await sellerWithToken(s(), 'view_sales edit_products');
      const res = await s().client().get('/v2/meta', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      assert.equal(res.body.token.application.id, application.id);
      assert.equal(res.body.token.application.client_id, application.client_id);
      assert.deepEqual(res.body.token.scopes, ['view_sales', 'edit_products']);
      assert.equal(res.body.token.kind, 'owner');
      assert.equal(res.body.token.expires_at, null);
      assert.ok(Date.parse(res.body.token.created_at) <= Date.now());
    });
  });
  describe('401', () => {
    it('refuses a missing token', async () => {
      const res = await s().client().get('/v2/meta');
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'The access token is invalid');
    });
  });
});
