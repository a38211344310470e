import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { PNG_1X1, createApp } from '../support/fixtures.js';
import { Browser, REDIRECT_URI, auditActions, authorizeQuery, consent, csrfOf, pkcePair, thirdPartySetup } from './support.js';

const params = (clientId: string, extra: Record<string, string> = {}) => ({
  client_id: clientId,
  redirect_uri: REDIRECT_URI,
  response_type: 'code',
  scope: 'view_profile view_sales',
  state: 'st-123',
  ...extra,
});

describeEachDialect('OAuth authorization pages', (s) => {
  describe('GET /oauth/authorize', () => {
    describe('200', () => {
      it('shows a login form with a CSRF token to a visitor who is not logged in', async () => {
        const { clientId } = await thirdPartySetup(s());
        const res = await new Browser(s().url).get(authorizeQuery(params(clientId)));
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type')!, /text\/html/);
        assert.match(res.text, /action="\/oauth\/login"/);
        assert.ok(csrfOf(res.text).length > 20);
        assert.match(res.text, /name="next" value="\/oauth\/authorize\?response_type=code&amp;client_id=/);
        assert.equal(res.headers.get('x-frame-options'), 'DENY');
      });

      it('shows the consent page: icon, name, owner, each scope in plain words, Authorize and Deny', async () => {
        const { clientId, browser, developer } = await thirdPartySetup(s(), { icon: PNG_1X1.toString('base64') });
        const res = await browser.get(authorizeQuery(params(clientId)));
        assert.equal(res.status, 200);
        assert.match(res.text, /Authorize <strong>Zapper<\/strong>/);
        assert.ok(res.text.includes(developer.user.email), 'names the owner');
        assert.ok(res.text.includes('See your profile, including your email address'));
        assert.ok(res.text.includes('See your sales and subscribers'));
        assert.ok(res.text.includes(`src="/oauth/applications/${clientId}/icon"`));
        assert.match(res.text, /value="allow"/);
        assert.match(res.text, /value="deny"/);
        assert.match(res.text, /name="state" value="st-123"/);
        assert.equal(res.headers.get('cache-control'), 'no-store');
      });

      it("defaults a missing scope to the application's scopes and response_type to code", async () => {
        const { clientId, browser } = await thirdPartySetup(s(), { scopes: 'view_sales edit_products' });
        const res = await browser.get(authorizeQuery({ client_id: clientId, redirect_uri: REDIRECT_URI }));
        assert.equal(res.status, 200);
        assert.ok(res.text.includes('See your sales and subscribers'));
        assert.ok(res.text.includes('Create, edit and delete your products'));
      });
    });

    describe('302 (errors the application can receive, RFC 6749 §4.1.2.1)', () => {
      it('sends invalid_scope with the state back when a scope is not allowed for the application', async () => {
        const { clientId, browser } = await thirdPartySetup(s(), { scopes: 'view_profile' });
        const res = await browser.get(authorizeQuery(params(clientId, { scope: 'view_profile refund_sales' })));
        assert.equal(res.status, 302);
        const url = new URL(res.location!);
        assert.equal(url.origin + url.pathname, REDIRECT_URI);
        assert.equal(url.searchParams.get('error'), 'invalid_scope');
        assert.equal(url.searchParams.get('state'), 'st-123');
        assert.equal(url.searchParams.get('code'), null);
      });

      it('sends unsupported_response_type for response_type=token', async () => {
        const { clientId, browser } = await thirdPartySetup(s());
        const res = await browser.get(authorizeQuery(params(clientId, { response_type: 'token' })));
        assert.equal(res.status, 302);
        assert.equal(new URL(res.location!).searchParams.get('error'), 'unsupported_response_type');
      });

      it('refuses plain PKCE and malformed challenges with invalid_request', async () => {
        const { clientId, browser } = await thirdPartySetup(s());
        const plain = await browser.get(authorizeQuery(params(clientId, { code_challenge: pkcePair().challenge, code_challenge_method: 'plain' })));
        assert.equal(new URL(plain.location!).searchParams.get('error'), 'invalid_request');
        const short = await browser.get(authorizeQuery(params(clientId, { code_challenge: 'too-short', code_challenge_method: 'S256' })));
        assert.equal(new URL(short.location!).searchParams.get('error'), 'invalid_request');
      });

      it('keeps the query of a registered redirect URI when adding the error', async () => {
        const uri = 'http://127.0.0.1:9/cb?tenant=7';
        const { clientId, browser } = await thirdPartySetup(s(), { redirect_uri: uri });
        const res = await browser.get(authorizeQuery(params(clientId, { redirect_uri: uri, scope: 'account' })));
        const url = new URL(res.location!);
        assert.equal(url.searchParams.get('tenant'), '7');
        assert.equal(url.searchParams.get('error'), 'invalid_scope');
      });
    });

    describe('400 (error page, never a redirect)', () => {
      it('shows an error page for an unknown client', async () => {
        const { browser } = await thirdPartySetup(s());
        const res = await browser.get(authorizeQuery(params('no-such-client')));
        assert.equal(res.status, 400);
        assert.equal(res.location, null);
        assert.match(res.text, /Unknown application/);
      });

      it('shows an error page for a redirect URI that is not registered, even with other errors', async () => {
        const { clientId, browser } = await thirdPartySetup(s());
        const res = await browser.get(authorizeQuery(params(clientId, { redirect_uri: 'https://evil.example/cb', scope: 'nope' })));
        assert.equal(res.status, 400);
        assert.equal(res.location, null);
        assert.match(res.text, /Invalid redirect URI/);
        assert.ok(!res.text.includes('evil.example/cb?'), 'no link back to the unregistered URI');
      });

      it('requires redirect_uri when the application registered several', async () => {
        const { clientId, browser } = await thirdPartySetup(s(), { redirect_uri: `${REDIRECT_URI} http://127.0.0.1:9/other` });
        const res = await browser.get(authorizeQuery({ client_id: clientId, response_type: 'code' }));
        assert.equal(res.status, 400);
        assert.equal(res.location, null);
      });

      it('shows an error page for a deleted application', async () => {
        const { clientId, browser, developer, application } = await thirdPartySetup(s());
        await developer.client.delete(`/api/applications/${encodeURIComponent(application.id)}`);
        const res = await browser.get(authorizeQuery(params(clientId)));
        assert.equal(res.status, 400);
        assert.match(res.text, /Unknown application/);
      });
    });
  });

  describe('POST /oauth/authorize', () => {
    describe('302', () => {
      it('Authorize redirects with a code and the state; the grant, the hashed code and the audit event are stored', async () => {
        const { clientId, application, browser, seller } = await thirdPartySetup(s());
        const { challenge } = pkcePair();
        const url = await consent(browser, params(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
        assert.equal(url.origin + url.pathname, REDIRECT_URI);
        assert.equal(url.searchParams.get('state'), 'st-123');
        const code = url.searchParams.get('code')!;
        assert.match(code, /^tsr_ac_[0-9A-Za-z]{49}$/);
        const row = await s().ctx.db.selectFrom('oauth_authorization_codes').selectAll().where('code_hash', '=', s().ctx.keys.hash(code)).executeTakeFirstOrThrow();
        assert.equal(row.user_id, seller.user.id);
        assert.equal(row.application_id, application.id);
        assert.equal(row.scopes, 'view_profile view_sales');
        assert.equal(row.code_challenge, challenge);
        assert.ok(Math.abs(row.expires_at - row.created_at - 600_000) < 2_000, 'codes live 10 minutes');
        const grant = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('id', '=', row.grant_id).executeTakeFirstOrThrow();
        assert.equal(grant.revoked_at, null);
        assert.ok((await auditActions(s(), seller.user.id)).includes('oauth.authorized'));
      });

      it('Deny redirects with access_denied and the state, stores no grant and audits oauth.denied', async () => {
        const { clientId, browser, seller } = await thirdPartySetup(s());
        const url = await consent(browser, params(clientId), 'deny');
        assert.equal(url.searchParams.get('error'), 'access_denied');
        assert.equal(url.searchParams.get('state'), 'st-123');
        assert.equal(url.searchParams.get('code'), null);
        const grants = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', seller.user.id).execute();
        assert.equal(grants.length, 0);
        assert.ok((await auditActions(s(), seller.user.id)).includes('oauth.denied'));
      });

      it('validates every parameter again: a scope changed in the form is refused with invalid_scope', async () => {
        const { clientId, browser, seller } = await thirdPartySetup(s(), { scopes: 'view_profile' });
        const page = await browser.get(authorizeQuery(params(clientId, { scope: 'view_profile' })));
        const res = await browser.post('/oauth/authorize', { ...params(clientId, { scope: 'view_profile account' }), csrf: csrfOf(page.text), decision: 'allow' });
        assert.equal(res.status, 302);
        assert.equal(new URL(res.location!).searchParams.get('error'), 'invalid_scope');
        assert.equal((await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', seller.user.id).execute()).length, 0);
      });
    });

    describe('303', () => {
      it('sends a visitor without a session back to the authorize page', async () => {
        const { clientId } = await thirdPartySetup(s());
        const res = await new Browser(s().url).post('/oauth/authorize', { ...params(clientId), decision: 'allow', csrf: 'x' });
        assert.equal(res.status, 303);
        assert.match(res.location!, /^\/oauth\/authorize\?response_type=code&client_id=/);
      });
    });

    describe('400', () => {
      it('shows the error page, not a redirect, when the form names an unregistered redirect URI', async () => {
        const { clientId, browser, seller } = await thirdPartySetup(s());
        const page = await browser.get(authorizeQuery(params(clientId)));
        const res = await browser.post('/oauth/authorize', { ...params(clientId, { redirect_uri: 'https://evil.example/cb' }), csrf: csrfOf(page.text), decision: 'allow' });
        assert.equal(res.status, 400);
        assert.equal(res.location, null);
        assert.equal((await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', seller.user.id).execute()).length, 0);
      });
    });

    describe('403', () => {
      it('refuses a form without the session’s CSRF token and issues nothing', async () => {
        const { clientId, browser, seller } = await thirdPartySetup(s());
        const res = await browser.post('/oauth/authorize', { ...params(clientId), csrf: 'forged', decision: 'allow' });
        assert.equal(res.status, 403);
        assert.equal(res.location, null);
        assert.match(res.text, /Form expired/);
        assert.equal((await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', seller.user.id).execute()).length, 0);
      });
    });
  });

  describe('POST /oauth/login', () => {
    it('303: logs in with the form and returns to the consent page', async () => {
      const { clientId } = await thirdPartySetup(s());
      const person = await s().signUp();
      const browser = new Browser(s().url);
      const login = await browser.get(authorizeQuery(params(clientId)));
      const next = /name="next" value="([^"]+)"/.exec(login.text)![1]!.replace(/&amp;/g, '&');
      const res = await browser.post('/oauth/login', { csrf: csrfOf(login.text), next, email: person.user.email, password: person.password });
      assert.equal(res.status, 303);
      assert.equal(res.location, next);
      const page = await browser.get(res.location!);
      assert.match(page.text, /Authorize <strong>Zapper<\/strong>/);
      assert.ok((await auditActions(s(), person.user.id)).includes('session.created'));
    });

    it('401: shows the form again with the error for a wrong password', async () => {
      const { clientId } = await thirdPartySetup(s());
      const person = await s().signUp();
      const browser = new Browser(s().url);
      const login = await browser.get(authorizeQuery(params(clientId)));
      const res = await browser.post('/oauth/login', { csrf: csrfOf(login.text), next: '/device', email: person.user.email, password: 'wrong password' });
      assert.equal(res.status, 401);
      assert.match(res.text, /Wrong email or password/);
      assert.ok((await auditActions(s(), person.user.id)).includes('login.failed'));
    });

    it('403: refuses a login form without its CSRF token', async () => {
      const person = await s().signUp();
      const res = await new Browser(s().url).post('/oauth/login', { csrf: 'x', next: '/device', email: person.user.email, password: person.password });
      assert.equal(res.status, 403);
      assert.equal(res.headers.getSetCookie().some((c) => c.startsWith('tessera_session=')), false);
    });
  });

  describe('GET /oauth/applications/:clientId/icon', () => {
    it('200: serves the icon of a live application to anyone', async () => {
      const developer = await s().signUp();
      const { application } = await createApp(developer.client, { icon: PNG_1X1.toString('base64') });
      const res = await fetch(`${s().url}/oauth/applications/${application.client_id}/icon`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG_1X1);
    });

    it('404: no icon, or no such application', async () => {
      const developer = await s().signUp();
      const { application } = await createApp(developer.client);
      assert.equal((await fetch(`${s().url}/oauth/applications/${application.client_id}/icon`)).status, 404);
      assert.equal((await fetch(`${s().url}/oauth/applications/nope/icon`)).status, 404);
    });
  });
});
