import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { basic, issuedTokens, thirdPartySetup } from './support.js';

describeEachDialect('POST /oauth/introspect', (s) => {
  const introspect = (form: Record<string, string>, headers?: Record<string, string>) => s().client().post('/oauth/introspect', { form, headers });

  describe('200', () => {
    it('describes a live access token issued to the calling client (RFC 7662 §2.2)', async () => {
      const setup = await thirdPartySetup(s(), { access_token_lifetime: 3600 });
      const tokens = await issuedTokens(s(), setup, 'view_profile view_sales');
      const res = await introspect({ token: tokens.access_token }, basic(setup.clientId, setup.clientSecret));
      assert.equal(res.status, 200);
      assert.equal(res.body.active, true);
      assert.equal(res.body.scope, 'view_profile view_sales');
      assert.equal(res.body.client_id, setup.clientId);
      assert.equal(res.body.sub, setup.seller.user.id);
      assert.equal(res.body.username, setup.seller.user.email);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.iss, s().ctx.config.publicUrl);
      assert.ok(res.body.exp - res.body.iat === 3600 || res.body.exp - res.body.iat === 3599);
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    it('describes a current refresh token; a rotated one is inactive', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const live = await introspect({ token: tokens.refresh_token, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(live.body.active, true);
      assert.equal(live.body.token_type, 'refresh_token');
      assert.equal(live.body.exp, undefined);
      await s().client().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, headers: basic(setup.clientId, setup.clientSecret) });
      const rotated = await introspect({ token: tokens.refresh_token }, basic(setup.clientId, setup.clientSecret));
      assert.deepEqual(rotated.body, { active: false });
    });

    it("answers only {active:false} for revoked, unknown and other clients' tokens", async () => {
      const setup = await thirdPartySetup(s());
      const other = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      assert.deepEqual((await introspect({ token: tokens.access_token }, basic(other.clientId, other.clientSecret))).body, { active: false });
      assert.deepEqual((await introspect({ token: 'garbage' }, basic(setup.clientId, setup.clientSecret))).body, { active: false });
      await s().client().post('/oauth/revoke', { form: { token: tokens.access_token }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.deepEqual((await introspect({ token: tokens.access_token }, basic(setup.clientId, setup.clientSecret))).body, { active: false });
    });

    it('reports tokens of a deleted application as inactive', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const before = await introspect({ token: tokens.refresh_token }, basic(setup.clientId, setup.clientSecret));
      assert.equal(before.body.active, true);
      await setup.developer.client.delete(`/api/applications/${encodeURIComponent(setup.application.id)}`);
      const after = await introspect({ token: tokens.refresh_token }, basic(setup.clientId, setup.clientSecret));
      assert.equal(after.status, 401, 'the deleted client cannot authenticate any more');
    });
  });

  describe('401', () => {
    it('requires client authentication with the secret', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const none = await introspect({ token: tokens.access_token });
      assert.equal(none.status, 401);
      assert.equal(none.body.error, 'invalid_client');
      const publicOnly = await introspect({ token: tokens.access_token, client_id: setup.clientId });
      assert.equal(publicOnly.status, 401);
      const wrong = await introspect({ token: tokens.access_token }, basic(setup.clientId, 'nope'));
      assert.equal(wrong.status, 401);
      assert.match(wrong.headers.get('www-authenticate')!, /^Basic /);
    });
  });
});
