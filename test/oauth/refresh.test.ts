import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, describeEachDialect, startServer, type TestServer } from '../support/harness.js';
import { REDIRECT_URI, auditRows, authorizationCode, basic, issuedTokens, pkcePair, thirdPartySetup, userStatus } from './support.js';

type Setup = Awaited<ReturnType<typeof thirdPartySetup>>;

function refresh(server: TestServer, setup: Setup, refreshToken: string, extra: Record<string, string> = {}) {
  return server.client().post('/oauth/token', {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
    headers: basic(setup.clientId, setup.clientSecret),
  });
}

async function grantOf(server: TestServer, accessToken: string) {
  const row = await server.ctx.db.selectFrom('access_tokens').select('grant_id').where('token_hash', '=', server.ctx.keys.hash(accessToken)).executeTakeFirstOrThrow();
  return server.ctx.db.selectFrom('oauth_grants').selectAll().where('id', '=', row.grant_id!).executeTakeFirstOrThrow();
}

describeEachDialect('POST /oauth/token (grant_type=refresh_token)', (s) => {
  describe('200', () => {
    it('rotates: a new pair, the old refresh token marked rotated, audited as oauth.token_refreshed', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const res = await refresh(s(), setup, first.refresh_token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.notEqual(res.body.access_token, first.access_token);
      assert.notEqual(res.body.refresh_token, first.refresh_token);
      assert.equal(res.body.scope, 'view_profile');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(await userStatus(s(), res.body.access_token), 200);
      const old = await s().ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(first.refresh_token)).executeTakeFirstOrThrow();
      assert.ok(old.rotated_at !== null);
      assert.ok(old.successor_pair !== null && !old.successor_pair.includes('tsr_'), 'the kept pair is encrypted');
      const next = await refresh(s(), setup, res.body.refresh_token);
      assert.equal(next.status, 200);
      const wiped = await s().ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
      assert.equal(wiped.successor_pair, null, "the first pair's copy is wiped once its refresh token rotated");
      const audit = await auditRows(s(), setup.seller.user.id, 'oauth.token_refreshed');
      assert.equal(audit.length, 2);
      assert.ok(!audit.some((a) => a.metadata!.includes(res.body.refresh_token)));
    });

    it('answers the SAME pair to the previous refresh token during the reuse interval', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const a = await refresh(s(), setup, first.refresh_token);
      const b = await refresh(s(), setup, first.refresh_token);
      assert.equal(b.status, 200);
      assert.equal(b.body.access_token, a.body.access_token);
      assert.equal(b.body.refresh_token, a.body.refresh_token);
      assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.token_refreshed')).length, 1);
    });

    it('narrows the scope when asked', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup, 'view_profile view_sales');
      const res = await refresh(s(), setup, first.refresh_token, { scope: 'view_sales' });
      assert.equal(res.status, 200);
      assert.equal(res.body.scope, 'view_sales');
    });

    it('lets a public client refresh tokens it obtained with PKCE, without a secret', async () => {
      const setup = await thirdPartySetup(s());
      const { verifier, challenge } = pkcePair();
      const code = await authorizationCode(setup.browser, setup.clientId, { code_challenge: challenge });
      const issued = await s().client().post('/oauth/token', { form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, code_verifier: verifier } });
      const res = await s().client().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, client_id: setup.clientId } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('50 concurrent refreshes of one token: all get the same working pair, one rotation is stored', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const results = await Promise.all(Array.from({ length: 50 }, () => refresh(s(), setup, first.refresh_token)));
      assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.find((r) => r.status !== 200)?.body));
      assert.equal(new Set(results.map((r) => r.body.access_token)).size, 1);
      assert.equal(new Set(results.map((r) => r.body.refresh_token)).size, 1);
      assert.equal(await userStatus(s(), results[0]!.body.access_token), 200);
      const grant = await grantOf(s(), first.access_token);
      const refreshRows = await s().ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('grant_id', '=', grant.id).execute();
      assert.equal(refreshRows.length, 2);
      assert.equal(refreshRows.filter((r) => r.rotated_at === null).length, 1);
      const accessRows = await s().ctx.db.selectFrom('access_tokens').selectAll().where('grant_id', '=', grant.id).execute();
      assert.equal(accessRows.length, 2);
      assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.token_refreshed')).length, 1);
      assert.equal((await refresh(s(), setup, results[0]!.body.refresh_token)).status, 200, 'the new refresh token works');
    });
  });

  describe('400', () => {
    it('a rotated token used after the reuse interval revokes the whole grant (invalid_grant)', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const second = await refresh(s(), setup, first.refresh_token);
      await s().ctx.db.updateTable('oauth_refresh_tokens').set({ rotated_at: Date.now() - 60_000 }).where('token_hash', '=', s().ctx.keys.hash(first.refresh_token)).execute();
      const reuse = await refresh(s(), setup, first.refresh_token);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, 'invalid_grant');
      assert.equal(await userStatus(s(), first.access_token), 401);
      assert.equal(await userStatus(s(), second.body.access_token), 401);
      assert.equal((await refresh(s(), setup, second.body.refresh_token)).body.error, 'invalid_grant');
      const grant = await grantOf(s(), first.access_token);
      assert.equal(grant.revoked_reason, 'refresh_token_reused');
      const audit = await auditRows(s(), setup.seller.user.id, 'oauth.grant_revoked');
      assert.equal(JSON.parse(audit[0]!.metadata!).reason, 'refresh_token_reused');
    });

    it('invalid_grant for a revoked refresh token', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const revoked = await s().client().post('/oauth/revoke', { form: { token: first.refresh_token }, headers: basic(setup.clientId, setup.clientSecret) });
      assert.equal(revoked.status, 200);
      const res = await refresh(s(), setup, first.refresh_token);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_grant');
    });

    it('invalid_scope when asking for more than was granted', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const res = await refresh(s(), setup, first.refresh_token, { scope: 'view_profile view_sales' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_scope');
      const row = await s().ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(first.refresh_token)).executeTakeFirstOrThrow();
      assert.equal(row.rotated_at, null, 'nothing rotated');
    });

    it("invalid_grant for another client's refresh token", async () => {
      const setup = await thirdPartySetup(s());
      const other = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const res = await refresh(s(), other, first.refresh_token);
      assert.equal(res.body.error, 'invalid_grant');
      assert.equal((await refresh(s(), setup, first.refresh_token)).status, 200, 'the owner can still refresh');
    });
  });

  describe('401', () => {
    it('invalid_client when a token obtained with the secret is refreshed without it', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      const res = await s().client().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: setup.clientId } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
    });

    it('invalid_client once the application is deleted: its refresh tokens are dead', async () => {
      const setup = await thirdPartySetup(s());
      const first = await issuedTokens(s(), setup);
      await setup.developer.client.delete(`/api/applications/${encodeURIComponent(setup.application.id)}`);
      const res = await refresh(s(), setup, first.refresh_token);
      assert.equal(res.status, 401);
      assert.equal(await userStatus(s(), first.access_token), 401);
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`POST /oauth/token refresh without a reuse interval [${dialect}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(dialect, { TESSERA_OAUTH_REFRESH_REUSE_SECONDS: '0' });
    });
    after(() => server.close());

    it('50 concurrent refreshes: exactly one rotation wins, every reuse is refused and the grant ends revoked', async () => {
      const setup = await thirdPartySetup(server);
      const first = await issuedTokens(server, setup);
      const results = await Promise.all(Array.from({ length: 50 }, () => refresh(server, setup, first.refresh_token)));
      const ok = results.filter((r) => r.status === 200);
      assert.equal(ok.length, 1);
      assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 400 && r.body.error === 'invalid_grant'));
      const grant = await grantOf(server, first.access_token);
      assert.equal(grant.revoked_reason, 'refresh_token_reused');
      const live = await server.ctx.db.selectFrom('access_tokens').selectAll().where('grant_id', '=', grant.id).where('revoked_at', 'is', null).execute();
      assert.equal(live.length, 0);
      assert.equal(await userStatus(server, ok[0]!.body.access_token), 401);
      assert.equal((await server.ctx.db.selectFrom('oauth_refresh_tokens').selectAll().where('grant_id', '=', grant.id).execute()).length, 2);
    });
  });
}
