import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { SECRET_LOG } from '../support/client.js';
import { createApp } from '../support/fixtures.js';
import { describeEachDialect } from '../support/harness.js';
import { Browser, REDIRECT_URI, csrfOf } from './support.js';

const insecure = { [oauth.allowInsecureRequests]: true };

/** The hidden inputs of a rendered form, entities decoded, as a browser would submit them. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    fields[match[1]!] = match[2]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return fields;
}

/** A person who is not logged in follows the authorization URL: login form, then consent, then Authorize. */
async function loginAndApprove(browser: Browser, authorizationUrl: URL, email: string, password: string): Promise<URL> {
  const login = await browser.get(authorizationUrl.pathname + authorizationUrl.search);
  assert.equal(login.status, 200);
  const loggedIn = await browser.post('/oauth/login', { ...hiddenFields(login.text), email, password });
  assert.equal(loggedIn.status, 303);
  const consent = await browser.get(loggedIn.location!);
  assert.equal(consent.status, 200);
  assert.ok(csrfOf(consent.text));
  const decided = await browser.post('/oauth/authorize', { ...hiddenFields(consent.text), decision: 'allow' });
  assert.equal(decided.status, 302);
  return new URL(decided.location!);
}

describeEachDialect('OAuth 2.0 full flow with oauth4webapi', (s) => {
  let as: oauth.AuthorizationServer;

  before(async () => {
    const issuer = new URL(s().url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });

  it('discovery, code + PKCE through the HTML forms, /v2/user, refresh, introspection, revocation, then 401', async () => {
    const developer = await s().signUp();
    const { application, client_secret } = await createApp(developer.client, { name: 'Flow tester', redirect_uri: REDIRECT_URI, scopes: 'view_profile view_sales' });
    const client: oauth.Client = { client_id: application.client_id };
    const clientAuth = oauth.ClientSecretBasic(client_secret);
    const seller = await s().signUp();

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint!);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'view_profile',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await loginAndApprove(new Browser(s().url), authorizationUrl, seller.user.email, seller.password);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    SECRET_LOG.add(params.get('code')!);

    const exchanged = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT_URI, verifier, insecure),
    );
    SECRET_LOG.add(exchanged.access_token).add(exchanged.refresh_token!);
    assert.equal(exchanged.token_type, 'bearer');
    assert.equal(exchanged.scope, 'view_profile');
    assert.equal(exchanged.expires_in, undefined);
    const me = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${exchanged.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, seller.user.email);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, exchanged.refresh_token!, insecure),
    );
    SECRET_LOG.add(refreshed.access_token).add(refreshed.refresh_token!);
    assert.notEqual(refreshed.refresh_token, exchanged.refresh_token);

    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure),
    );
    assert.equal(introspection.active, true);
    assert.equal(introspection.scope, 'view_profile');
    assert.equal(introspection.client_id, client.client_id);
    assert.equal(introspection.sub, seller.user.id);

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.access_token, insecure));
    const after = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(after.status, 401);
    assert.equal(after.body.message, 'The access token was revoked');
    const gone = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure));
    assert.equal(gone.active, false);

    const actions = (await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).execute()).map((a) => a.action);
    for (const action of ['oauth.authorized', 'oauth.token_issued', 'oauth.token_refreshed', 'oauth.token_revoked']) assert.ok(actions.includes(action), action);
  });

  it('a public client (token_endpoint_auth_method none) with PKCE: code, refresh, revoke', async () => {
    const developer = await s().signUp();
    const { application } = await createApp(developer.client, { name: 'CLI', redirect_uri: REDIRECT_URI });
    const client: oauth.Client = { client_id: application.client_id, token_endpoint_auth_method: 'none' };
    const clientAuth = oauth.None();
    const seller = await s().signUp();
    const verifier = oauth.generateRandomCodeVerifier();
    const authorizationUrl = new URL(as.authorization_endpoint!);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'view_profile',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await loginAndApprove(new Browser(s().url), authorizationUrl, seller.user.email, seller.password);
    const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);
    SECRET_LOG.add(params.get('code')!);
    const exchanged = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT_URI, verifier, insecure),
    );
    SECRET_LOG.add(exchanged.access_token).add(exchanged.refresh_token!);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, exchanged.refresh_token!, insecure));
    SECRET_LOG.add(refreshed.access_token).add(refreshed.refresh_token!);
    assert.equal((await s().client().get('/v2/user', { headers: { authorization: `Bearer ${refreshed.access_token}` } })).status, 200);
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, insecure));
    assert.equal((await s().client().get('/v2/user', { headers: { authorization: `Bearer ${refreshed.access_token}` } })).status, 401);
  });
});
