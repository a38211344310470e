import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { PNG_1X1 } from '../support/fixtures.js';
import { Browser, auditRows, basic, issuedTokens, thirdPartySetup, userStatus } from './support.js';

describeEachDialect('GET /api/authorized-applications', (s) => {
  it('200: lists the applications holding live OAuth tokens, with icon, owner, scopes, created and last used', async () => {
    const setup = await thirdPartySetup(s(), { icon: PNG_1X1.toString('base64') });
    const tokens = await issuedTokens(s(), setup, 'view_profile view_sales');
    assert.equal(await userStatus(s(), tokens.access_token), 200);
    const res = await setup.seller.client.get('/api/authorized-applications');
    assert.equal(res.status, 200);
    assert.equal(res.body.authorized_applications.length, 1);
    const [app] = res.body.authorized_applications;
    assert.equal(app.application_id, setup.application.id);
    assert.equal(app.name, 'Zapper');
    assert.equal(app.owner, setup.developer.user.email);
    assert.equal(app.icon_url, `/oauth/applications/${setup.clientId}/icon`);
    assert.deepEqual(app.scopes, ['view_profile', 'view_sales']);
    assert.ok(Date.parse(app.created_at) <= Date.now());
    assert.ok(app.last_used_at !== null, 'the /v2/user call is the last use');
  });

  it('200: an empty list for someone who authorized nothing; revoked grants are not listed', async () => {
    const setup = await thirdPartySetup(s());
    const tokens = await issuedTokens(s(), setup);
    await s().client().post('/oauth/revoke', { form: { token: tokens.refresh_token }, headers: basic(setup.clientId, setup.clientSecret) });
    const res = await setup.seller.client.get('/api/authorized-applications');
    assert.deepEqual(res.body, { success: true, authorized_applications: [] });
  });

  it('401: needs a session', async () => {
    const res = await s().client().get('/api/authorized-applications');
    assert.equal(res.status, 401);
  });
});

describeEachDialect('DELETE /api/authorized-applications/:applicationId', (s) => {
  describe('200', () => {
    it('revokes every token and refresh token of the application for this user: 401 on the next request', async () => {
      const setup = await thirdPartySetup(s());
      const one = await issuedTokens(s(), setup);
      const two = await issuedTokens(s(), setup);
      const res = await setup.seller.client.delete(`/api/authorized-applications/${encodeURIComponent(setup.application.id)}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true, message: 'Authorized application revoked', revoked_tokens: 4 });
      assert.equal(await userStatus(s(), one.access_token), 401);
      assert.equal(await userStatus(s(), two.access_token), 401);
      const refreshed = await s().client().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: one.refresh_token }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.equal(refreshed.body.error, 'invalid_grant');
      assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.grant_revoked')).length, 2);
      assert.deepEqual((await setup.seller.client.get('/api/authorized-applications')).body.authorized_applications, []);
    });

    it("leaves other users' authorizations of the same application alive", async () => {
      const setup = await thirdPartySetup(s());
      const mine = await issuedTokens(s(), setup);
      const otherSeller = await s().signUp();
      const otherBrowser = new Browser(s().url).withSessionCookie(otherSeller.client.cookie);
      const theirs = await issuedTokens(s(), { ...setup, browser: otherBrowser, seller: otherSeller });
      await setup.seller.client.delete(`/api/authorized-applications/${encodeURIComponent(setup.application.id)}`);
      assert.equal(await userStatus(s(), mine.access_token), 401);
      assert.equal(await userStatus(s(), theirs.access_token), 200);
    });
  });

  describe('404', () => {
    it('answers 404 for an application this user never authorized, and the second time', async () => {
      const setup = await thirdPartySetup(s());
      await issuedTokens(s(), setup);
      const stranger = await s().signUp();
      const res = await stranger.client.delete(`/api/authorized-applications/${encodeURIComponent(setup.application.id)}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'authorized_application_not_found');
      assert.equal((await setup.seller.client.delete(`/api/authorized-applications/${encodeURIComponent(setup.application.id)}`)).status, 200);
      assert.equal((await setup.seller.client.delete(`/api/authorized-applications/${encodeURIComponent(setup.application.id)}`)).status, 404);
    });
  });
});
