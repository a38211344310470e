import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

describeEachDialect('GET /oauth/token/info', (s) => {
  describe('200', () => {
    it("answers Doorkeeper's token info: owner, scopes as an array, expiry, application uid, creation", async () => {
      const seller = await sellerWithToken(s(), 'view_sales edit_products');
      const res = await s().client().get('/oauth/token/info', { headers: { authorization: `Bearer ${seller.token}` } });
      assert.equal(res.status, 200);
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(seller.token)).executeTakeFirstOrThrow();
      const app = await s().ctx.db.selectFrom('applications').select('client_id').where('id', '=', row.application_id).executeTakeFirstOrThrow();
      assert.deepEqual(res.body, {
        resource_owner_id: seller.user.id,
        scope: res.body.scope,
        expires_in: null,
        application: { uid: app.client_id },
        created_at: Math.floor(row.created_at / 1000),
      });
      assert.deepEqual([...res.body.scope].sort(), ['edit_products', 'view_sales']);
    });

    it('reads the token from the access_token parameter too', async () => {
      const seller = await sellerWithToken(s());
      const res = await s().client().get('/oauth/token/info', { query: { access_token: seller.token } });
      assert.equal(res.status, 200);
      assert.equal(res.body.resource_owner_id, seller.user.id);
    });
  });

  describe('401', () => {
    it('refuses a missing or unknown token with invalid_token and the Bearer challenge', async () => {
      for (const headers of [{}, { authorization: 'Bearer tsr_at_nope' }] as Record<string, string>[]) {
        const res = await s().client().get('/oauth/token/info', { headers });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { error: 'invalid_token', error_description: 'The access token is invalid' });
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      }
    });

    it('refuses a revoked token', async () => {
      const seller = await sellerWithToken(s());
      await s().ctx.db.updateTable('access_tokens').set({ revoked_at: Date.now() }).where('token_hash', '=', s().ctx.keys.hash(seller.token)).execute();
      const res = await s().client().get('/oauth/token/info', { headers: { authorization: `Bearer ${seller.token}` } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error_description, 'The access token was revoked');
    });
  });
});
