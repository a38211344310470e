import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

describeEachDialect('GET /v2/user', (s) => {
  describe('200', () => {
    it('accepts the token as query, Bearer header, urlencoded, multipart and JSON body, and as bearer_token', async () => {
      const { token, user } = await sellerWithToken(s());
      const c = s().client();
      const ways = [
        await c.get('/v2/user', { query: { access_token: token } }),
        await c.get('/v2/user', { headers: { authorization: `Bearer ${token}` } }),
        await c.get('/v2/user', { headers: { authorization: `bearer ${token}` } }),
        await c.request('GET', '/v2/user', { form: { access_token: token } }),
        await c.request('GET', '/v2/user', { json: { access_token: token } }),
        await c.request('GET', '/v2/user', { multipart: { access_token: token } }),
        await c.get('/v2/user', { query: { bearer_token: token } }),
        await c.get('/v2/user', { query: { access_token: token }, raw: { body: '', type: 'application/json' } }),
        await c.get('/api/v2/user', { query: { access_token: token } }),
        await c.get('//v2//user', { query: { access_token: token } }),
      ];
      for (const [i, res] of ways.entries()) {
        assert.equal(res.status, 200, `way ${i}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.success, true);
        assert.equal(res.body.user.id, user.id);
        assert.equal(res.body.user.email, user.email);
      }
    });

    it('shows email only with a rich scope and display_name only with view_profile', async () => {
      const narrow = await sellerWithToken(s(), 'view_public');
      const res = await s().client().get('/v2/user', { query: { access_token: narrow.token } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.email, undefined);
      assert.equal(res.body.user.display_name, undefined);
      assert.equal('name' in res.body.user, false, 'null name omitted without rich scopes');
      assert.equal(res.body.user.id, narrow.user.id);
      assert.equal(typeof res.body.user.user_id, 'string');
      const profile = await sellerWithToken(s(), 'view_profile');
      const rich = await s().client().get('/v2/user', { query: { access_token: profile.token } });
      assert.equal(rich.body.user.email, profile.user.email);
      assert.equal(typeof rich.body.user.display_name, 'string');
      assert.equal(rich.body.user.currency_type, 'usd');
    });

    it('records the last use of the token', async () => {
      const { token, client } = await sellerWithToken(s());
      await s().client().get('/v2/user', { query: { access_token: token } });
      const list = await client.get('/api/tokens');
      assert.equal(list.status, 200);
      assert.ok(list.body.tokens[0].last_used_at, 'last_used_at set');
    });
  });

  describe('401', () => {
    for (const [why, value] of [
      ['missing', undefined],
      ['malformed', 'not-a-token'],
      ['well-formed but unknown', 'tsr_at_' + '0'.repeat(43) + '000000'],
    ] as const) {
      it(`refuses a ${why} token with WWW-Authenticate and the contract body`, async () => {
        const res = await s().client().get('/v2/user', value ? { query: { access_token: value } } : {});
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="The access token is invalid"');
        assert.deepEqual(res.body, { success: false, error: 'The access token is invalid', message: 'The access token is invalid' });
      });
    }

    it('says "expired" for an expired token', async () => {
      const { token } = await sellerWithToken(s());
      await s().ctx.db.updateTable('access_tokens').set({ expires_at: Date.now() - 1000 }).where('token_hash', '=', s().ctx.keys.hash(token)).execute();
      const res = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'The access token expired');
      assert.match(res.headers.get('www-authenticate')!, /The access token expired/);
    });

    it('says "revoked" for a revoked token, on the very next request', async () => {
      const { token, client } = await sellerWithToken(s());
      const list = await client.get('/api/tokens');
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
      const revoked = await client.delete(`/api/tokens/${list.body.tokens[0].id}`);
      assert.equal(revoked.status, 200);
      const res = await s().client().get('/v2/user', { query: { access_token: token } });
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'The access token was revoked');
    });
  });

  describe('403', () => {
    it('refuses a token without any read scope, naming one accepted scope', async () => {
      const { token } = await sellerWithToken(s(), 'account');
      await s().ctx.db.updateTable('access_tokens').set({ scopes: 'mobile_api' }).where('token_hash', '=', s().ctx.keys.hash(token)).execute();
      const res = await s().client().get('/v2/user', { query: { access_token: token } });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { success: false, message: 'This endpoint requires the view_profile scope.' });
      assert.equal(res.headers.get('www-authenticate'), null);
    });
  });
});
