import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, describeEachDialect, startServer, type TestServer } from '../support/harness.js';
import { REDIRECT_URI, auditRows, authorizationCode, basic, issuedTokens, pkcePair, thirdPartySetup, userStatus } from './support.js';

describeEachDialect('POST /oauth/token', (s) => {
  const exchange = (form: Record<string, string>, headers?: Record<string, string>) => s().client().post('/oauth/token', { form, headers });

  describe('200', () => {
    it('exchanges a code (client_secret_post): Gumroad fields, no expires_in, no-store, hashed tokens that work on /v2/user', async () => {
      const setup = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId, { scope: 'view_profile view_sales' });
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'created_at', 'refresh_token', 'scope', 'token_type']);
      assert.match(res.body.access_token, /^tsr_at_/);
      assert.match(res.body.refresh_token, /^tsr_rt_/);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.scope, 'view_profile view_sales');
      assert.ok(Math.abs(res.body.created_at - Date.now() / 1000) < 60);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(res.body.access_token)).executeTakeFirstOrThrow();
      assert.equal(row.kind, 'oauth');
      assert.equal(row.user_id, setup.seller.user.id);
      assert.equal(row.expires_at, null);
      assert.ok(row.grant_id);
      const refresh = await s().ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('grant_id', '=', row.grant_id).executeTakeFirstOrThrow();
      assert.equal(refresh.token_hash, s().ctx.keys.hash(res.body.refresh_token));
      const me = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${res.body.access_token}` } });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, setup.seller.user.email);
      const audit = await auditRows(s(), setup.seller.user.id, 'oauth.token_issued');
      assert.equal(audit.length, 1);
      assert.ok(!audit[0]!.metadata!.includes(res.body.access_token) && !audit[0]!.metadata!.includes(res.body.refresh_token));
    });

    it('accepts client_secret_basic, a blank grant_type (Gumroad) and a JSON body', async () => {
      const setup = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId);
      const res = await s().client().post('/oauth/token', { json: { code, redirect_uri: REDIRECT_URI }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(await userStatus(s(), res.body.access_token), 200);
    });

    it('lets a public client (no secret) exchange its code with the PKCE verifier', async () => {
      const setup = await thirdPartySetup(s());
      const { verifier, challenge } = pkcePair();
      const code = await authorizationCode(setup.browser, setup.clientId, { code_challenge: challenge, code_challenge_method: 'S256' });
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, code_verifier: verifier });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const grant = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', setup.seller.user.id).executeTakeFirstOrThrow();
      assert.equal(grant.confidential, 0);
    });

    it('adds expires_in and stores the expiry when the application sets a token lifetime', async () => {
      const setup = await thirdPartySetup(s(), { access_token_lifetime: 3600 });
      const body = await issuedTokens(s(), setup);
      assert.ok(body.expires_in! > 3590 && body.expires_in! <= 3600, String(body.expires_in));
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(body.access_token)).executeTakeFirstOrThrow();
      assert.ok(Math.abs(row.expires_at! - (Date.now() + 3600_000)) < 60_000);
    });

    it("client_credentials: a token for the application owner's own account, without a refresh token", async () => {
      const setup = await thirdPartySetup(s(), { scopes: 'view_profile view_sales' });
      const res = await exchange({ grant_type: 'client_credentials', scope: 'view_sales' }, basic(setup.clientId, setup.clientSecret));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.refresh_token, undefined);
      assert.equal(res.body.scope, 'view_sales');
      const me = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${res.body.access_token}` } });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, setup.developer.user.email);
      assert.equal((await auditRows(s(), setup.developer.user.id, 'oauth.token_issued')).length, 1);
    });

    it('client_credentials in parallel: written together, each answer a committed token of its own grant', async () => {
      const setup = await thirdPartySetup(s(), { scopes: 'view_profile view_sales', access_token_lifetime: 600 });
      const answers = await Promise.all(Array.from({ length: 40 }, () => exchange({ grant_type: 'client_credentials' }, basic(setup.clientId, setup.clientSecret))));
      for (const res of answers) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'created_at', 'expires_in', 'scope', 'token_type']);
        assert.equal(res.body.scope, 'view_profile view_sales');
        assert.equal(res.headers.get('cache-control'), 'no-store');
      }
      const tokens = answers.map((r) => r.body.access_token as string);
      assert.equal(new Set(tokens).size, 40);
      const rows = await s().ctx.db.selectFrom('access_tokens').selectAll().where('application_id', '=', setup.application.id).execute();
      assert.deepEqual(rows.map((r) => r.token_hash).sort(), tokens.map((t) => s().ctx.keys.hash(t)).sort());
      assert.ok(rows.every((r) => r.kind === 'oauth' && r.user_id === setup.developer.user.id && r.expires_at !== null && r.scopes === 'view_profile view_sales'));
      const grants = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('application_id', '=', setup.application.id).execute();
      assert.equal(grants.length, 40);
      assert.deepEqual(new Set(rows.map((r) => r.grant_id)), new Set(grants.map((g) => g.id)));
      assert.ok(grants.every((g) => g.type === 'client_credentials' && g.confidential === 1));
      const audit = await auditRows(s(), setup.developer.user.id, 'oauth.token_issued');
      assert.equal(audit.length, 40);
      assert.deepEqual(new Set(audit.map((a) => a.target_id)), new Set(rows.map((r) => r.id)));
      // Every answered token is usable at once, and revoking one grant leaves the others.
      assert.equal(await userStatus(s(), tokens[7]!), 200);
      const revoke = await s().client().post('/oauth/revoke', { form: { token: tokens[7]! }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.equal(revoke.status, 200);
      assert.equal(await userStatus(s(), tokens[7]!), 401);
      assert.equal(await userStatus(s(), tokens[8]!), 200);
    });
  });

  describe('400', () => {
    it('invalid_grant for a reused code, and everything the first exchange issued is revoked', async () => {
      const setup = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId);
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: setup.clientSecret };
      const first = await exchange(form);
      assert.equal(first.status, 200);
      const second = await exchange(form);
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'invalid_grant');
      assert.equal(await userStatus(s(), first.body.access_token), 401);
      const refresh = await exchange({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(refresh.body.error, 'invalid_grant');
      const grant = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', setup.seller.user.id).executeTakeFirstOrThrow();
      assert.equal(grant.revoked_reason, 'code_replayed');
      const audit = await auditRows(s(), setup.seller.user.id, 'oauth.code_replayed');
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.metadata!).revoked_access_tokens, 1);
    });

    it('invalid_grant for a wrong PKCE verifier, and the code is used up', async () => {
      const setup = await thirdPartySetup(s());
      const { verifier, challenge } = pkcePair();
      const code = await authorizationCode(setup.browser, setup.clientId, { code_challenge: challenge });
      const wrong = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, code_verifier: pkcePair().verifier });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_grant');
      const right = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, code_verifier: verifier });
      assert.equal(right.body.error, 'invalid_grant');
      assert.equal((await s().ctx.db.selectFrom('access_tokens').selectAll().where('user_id', '=', setup.seller.user.id).execute()).length, 0);
    });

    it('invalid_grant when a confidential client omits the verifier of a PKCE code', async () => {
      const setup = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId, { code_challenge: pkcePair().challenge });
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_grant');
    });

    it('invalid_grant for a redirect_uri other than the authorization request’s', async () => {
      const setup = await thirdPartySetup(s(), { redirect_uri: `${REDIRECT_URI} http://127.0.0.1:9/other` });
      const code = await authorizationCode(setup.browser, setup.clientId);
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/other', client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_grant');
    });

    it("invalid_grant for another client's code, and for an expired code", async () => {
      const setup = await thirdPartySetup(s());
      const other = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId);
      const stolen = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: other.clientId, client_secret: other.clientSecret });
      assert.equal(stolen.body.error, 'invalid_grant');
      const late = await authorizationCode(setup.browser, setup.clientId);
      await s().ctx.db.updateTable('oauth_authorization_codes').set({ expires_at: Date.now() - 1 }).where('code_hash', '=', s().ctx.keys.hash(late)).execute();
      const expired = await exchange({ grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(expired.status, 400);
      assert.equal(expired.body.error, 'invalid_grant');
    });

    it('unsupported_grant_type for the password grant', async () => {
      const setup = await thirdPartySetup(s());
      const res = await exchange({ grant_type: 'password', username: 'a', password: 'b', client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'unsupported_grant_type');
    });

    it('invalid_scope when client_credentials asks for a scope the application may not have', async () => {
      const setup = await thirdPartySetup(s(), { scopes: 'view_profile' });
      const res = await exchange({ grant_type: 'client_credentials', scope: 'view_sales', client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_scope');
      assert.equal((await s().ctx.db.selectFrom('oauth_grants').selectAll().where('application_id', '=', setup.application.id).execute()).length, 0);
    });

    it('invalid_request for a missing code and for a repeated parameter', async () => {
      const setup = await thirdPartySetup(s());
      const missing = await exchange({ grant_type: 'authorization_code', client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_request');
      const repeated = await s().client().post('/oauth/token', {
        raw: { body: `grant_type=client_credentials&client_id=${setup.clientId}&client_id=${setup.clientId}&client_secret=${setup.clientSecret}`, type: 'application/x-www-form-urlencoded' },
      });
      assert.equal(repeated.status, 400);
      assert.deepEqual(repeated.body, { error: 'invalid_request', error_description: "The 'client_id' parameter was sent more than once." });
    });
  });

  describe('401', () => {
    it('invalid_client for a wrong client secret in the body, without a Basic challenge', async () => {
      const setup = await thirdPartySetup(s());
      const code = await authorizationCode(setup.browser, setup.clientId);
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: 'tsr_cs_wrong' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
      assert.equal(res.headers.get('www-authenticate'), null);
      const row = await s().ctx.db.selectFrom('oauth_authorization_codes').selectAll().where('code_hash', '=', s().ctx.keys.hash(code)).executeTakeFirstOrThrow();
      assert.equal(row.used_at, null, 'a failed client authentication does not use the code');
    });

    it('invalid_client with WWW-Authenticate: Basic for a wrong secret sent with HTTP Basic', async () => {
      const setup = await thirdPartySetup(s());
      const res = await exchange({ grant_type: 'client_credentials' }, basic(setup.clientId, 'wrong-secret'));
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
      assert.match(res.headers.get('www-authenticate')!, /^Basic realm="tessera"/);
    });

    it('invalid_client for an unknown client, for a public client without PKCE and for client_credentials without a secret', async () => {
      const setup = await thirdPartySetup(s());
      const unknown = await exchange({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
      assert.equal(unknown.status, 401);
      const code = await authorizationCode(setup.browser, setup.clientId);
      const noPkce = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId });
      assert.equal(noPkce.status, 401);
      assert.equal(noPkce.body.error, 'invalid_client');
      const noSecret = await exchange({ grant_type: 'client_credentials', client_id: setup.clientId });
      assert.equal(noSecret.status, 401);
    });

    it("invalid_client for a deleted application's credentials", async () => {
      const setup = await thirdPartySetup(s());
      await setup.developer.client.delete(`/api/applications/${encodeURIComponent(setup.application.id)}`);
      const res = await exchange({ grant_type: 'client_credentials' }, basic(setup.clientId, setup.clientSecret));
      assert.equal(res.status, 401);
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`POST /oauth/token rate limits [${dialect}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(dialect, { TESSERA_OAUTH_TOKEN_LIMIT_PER_IP: '5', TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT: '3' });
    });
    after(() => server.close());

    it('429 with Retry-After once a client goes over its limit; other clients still pass', async () => {
      const a = await thirdPartySetup(server);
      const b = await thirdPartySetup(server);
      const call = (clientId: string, secret: string) => server.client().post('/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
      for (let i = 0; i < 3; i++) assert.equal((await call(a.clientId, a.clientSecret)).status, 200);
      const limited = await call(a.clientId, a.clientSecret);
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      // A request refused by its client's limit gives the address's reservation back: 3 + 2 of 5.
      assert.equal((await call(b.clientId, b.clientSecret)).status, 200);
      assert.equal((await call(b.clientId, b.clientSecret)).status, 200);
      // 5 counted from this IP now: the next one is over the per-IP limit, whatever the client.
      const ipLimited = await call(b.clientId, b.clientSecret);
      assert.equal(ipLimited.status, 429);
      assert.equal(ipLimited.body.error, 'rate_limited');
      const issued = await server.ctx.db.selectFrom('access_tokens').selectAll().where('kind', '=', 'oauth').execute();
      assert.equal(issued.length, 5);
    });
  });
}
