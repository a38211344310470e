import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { REDIRECT_URI, auditRows, authorizationCode, basic, issuedTokens, pkcePair, thirdPartySetup, userStatus } from './support.js';

describeEachDialect('POST /oauth/revoke', (s) => {
  const revoke = (form: Record<string, string>, headers?: Record<string, string>) => s().client().post('/oauth/revoke', { form, headers });

  describe('200', () => {
    it('revokes an access token alone: 401 on the next request, the refresh token still works', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const res = await revoke({ token: tokens.access_token, token_type_hint: 'access_token' }, basic(setup.clientId, setup.clientSecret));
      assert.equal(res.status, 200);
      // Doorkeeper's answer: an empty JSON object (clients that parse the body break on nothing).
      assert.deepEqual(res.body, {});
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(await userStatus(s(), tokens.access_token), 401);
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(tokens.access_token)).executeTakeFirstOrThrow();
      assert.equal(row.revoked_reason, 'revoked_by_client');
      const refreshed = await s().client().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.equal(refreshed.status, 200);
      const audit = await auditRows(s(), setup.seller.user.id, 'oauth.token_revoked');
      assert.equal(JSON.parse(audit[0]!.metadata!).token_type, 'access_token');
    });

    it('revokes a refresh token with its whole grant (RFC 7009 §2.1), client_secret_post', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const res = await revoke({ token: tokens.refresh_token, client_id: setup.clientId, client_secret: setup.clientSecret });
      assert.equal(res.status, 200);
      assert.equal(await userStatus(s(), tokens.access_token), 401);
      const grant = await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', setup.seller.user.id).executeTakeFirstOrThrow();
      assert.equal(grant.revoked_reason, 'refresh_token_revoked_by_client');
      assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.token_revoked')).length, 1);
    });

    it("answers 200 and changes nothing for unknown tokens and another client's tokens", async () => {
      const setup = await thirdPartySetup(s());
      const other = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      assert.equal((await revoke({ token: 'not-a-token' }, basic(other.clientId, other.clientSecret))).status, 200);
      assert.equal((await revoke({ token: tokens.access_token }, basic(other.clientId, other.clientSecret))).status, 200);
      assert.equal(await userStatus(s(), tokens.access_token), 200);
      assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.token_revoked')).length, 0);
    });

    it('lets a public client revoke tokens it obtained with PKCE, with client_id alone', async () => {
      const setup = await thirdPartySetup(s());
      const { verifier, challenge } = pkcePair();
      const code = await authorizationCode(setup.browser, setup.clientId, { code_challenge: challenge });
      const issued = await s().client().post('/oauth/token', { form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, code_verifier: verifier } });
      const res = await revoke({ token: issued.body.access_token, client_id: setup.clientId });
      assert.equal(res.status, 200);
      assert.equal(await userStatus(s(), issued.body.access_token), 401);
    });
  });

  describe('400', () => {
    it('invalid_request without a token; unsupported_token_type for a code', async () => {
      const setup = await thirdPartySetup(s());
      const missing = await revoke({}, basic(setup.clientId, setup.clientSecret));
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_request');
      const code = await authorizationCode(setup.browser, setup.clientId);
      const res = await revoke({ token: code }, basic(setup.clientId, setup.clientSecret));
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'unsupported_token_type');
    });
  });

  describe('401', () => {
    it('invalid_client for a wrong secret (with the Basic challenge) and the token stays alive', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const res = await revoke({ token: tokens.access_token }, basic(setup.clientId, 'wrong'));
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
      assert.match(res.headers.get('www-authenticate')!, /^Basic /);
      assert.equal(await userStatus(s(), tokens.access_token), 200);
    });

    it('invalid_client when a token obtained with the secret is revoked with client_id alone', async () => {
      const setup = await thirdPartySetup(s());
      const tokens = await issuedTokens(s(), setup);
      const res = await revoke({ token: tokens.access_token, client_id: setup.clientId });
      assert.equal(res.status, 401);
      assert.equal(await userStatus(s(), tokens.access_token), 200);
    });
  });
});
