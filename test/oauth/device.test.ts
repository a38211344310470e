import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { Browser, auditRows, basic, csrfOf, thirdPartySetup, userStatus } from './support.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
type Setup = Awaited<ReturnType<typeof thirdPartySetup>>;

async function start(s: TestServer, setup: Setup, scope = 'view_profile') {
  const res = await s.client().post('/oauth/device_authorization', { form: { client_id: setup.clientId, scope } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
}

/** The device waits its interval between polls: tests move the last poll back instead of sleeping. */
async function poll(s: TestServer, setup: Setup, deviceCode: string, waited = true) {
  if (waited) await s.ctx.db.updateTable('oauth_device_codes').set({ last_polled_at: null }).where('device_code_hash', '=', s.ctx.keys.hash(deviceCode)).execute();
  return s.client().post('/oauth/token', { form: { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: setup.clientId } });
}

async function decide(browser: Browser, userCode: string, decision: 'allow' | 'deny') {
  const page = await browser.get(`/device?user_code=${encodeURIComponent(userCode)}`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  return browser.post('/device', { csrf: csrfOf(page.text), user_code: userCode, decision });
}

function deviceRow(s: TestServer, deviceCode: string) {
  return s.ctx.db.selectFrom('oauth_device_codes').selectAll().where('device_code_hash', '=', s.ctx.keys.hash(deviceCode)).executeTakeFirstOrThrow();
}

describeEachDialect('POST /oauth/device_authorization', (s) => {
  it('200: a device code, a user code and where to enter it (RFC 8628 §3.2); only hashes stored', async () => {
    const setup = await thirdPartySetup(s());
    const body = await start(s(), setup);
    assert.match(body.device_code, /^tsr_dc_/);
    assert.match(body.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(body.verification_uri, `${s().ctx.config.publicUrl}/device`);
    assert.equal(body.verification_uri_complete, `${body.verification_uri}?user_code=${body.user_code}`);
    assert.equal(body.expires_in, 600);
    assert.equal(body.interval, 5);
    const row = await deviceRow(s(), body.device_code);
    assert.equal(row.status, 'pending');
    assert.equal(row.user_code_hash, s().ctx.keys.hash(body.user_code.replace('-', '')));
  });

  it('400: invalid_scope for a scope the application may not have', async () => {
    const setup = await thirdPartySetup(s(), { scopes: 'view_profile' });
    const res = await s().client().post('/oauth/device_authorization', { form: { client_id: setup.clientId, scope: 'account' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_scope');
  });

  it('401: invalid_client for an unknown client or a wrong secret', async () => {
    const setup = await thirdPartySetup(s());
    assert.equal((await s().client().post('/oauth/device_authorization', { form: { client_id: 'nobody' } })).status, 401);
    const res = await s().client().post('/oauth/device_authorization', { form: {}, headers: basic(setup.clientId, 'wrong') });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
  });
});

describeEachDialect('GET and POST /device', (s) => {
  it('asks a visitor to log in first, coming back to the code', async () => {
    const setup = await thirdPartySetup(s());
    const { user_code } = await start(s(), setup);
    const res = await new Browser(s().url).get(`/device?user_code=${user_code}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /action="\/oauth\/login"/);
    assert.ok(res.text.includes(`name="next" value="/device?user_code=${user_code}"`));
  });

  it('shows the code form, then the application and its scopes for a code typed loosely', async () => {
    const setup = await thirdPartySetup(s());
    const { user_code } = await start(s(), setup, 'view_profile view_sales');
    const form = await setup.browser.get('/device');
    assert.match(form.text, /name="user_code"/);
    const page = await setup.browser.get(`/device?user_code=${user_code.toLowerCase().replace('-', ' ')}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Authorize <strong>Zapper<\/strong>/);
    assert.ok(page.text.includes('See your sales and subscribers'));
  });

  it('approves: the device polls and gets working tokens once; audited', async () => {
    const setup = await thirdPartySetup(s());
    const { device_code, user_code } = await start(s(), setup);
    const pending = await poll(s(), setup, device_code);
    assert.equal(pending.status, 400);
    assert.equal(pending.body.error, 'authorization_pending');
    const done = await decide(setup.browser, user_code, 'allow');
    assert.equal(done.status, 200);
    assert.match(done.text, /Device connected/);
    assert.equal((await deviceRow(s(), device_code)).status, 'approved');
    assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.device_approved')).length, 1);
    const tokens = await poll(s(), setup, device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.match(tokens.body.refresh_token, /^tsr_rt_/);
    assert.equal(tokens.body.scope, 'view_profile');
    assert.equal(await userStatus(s(), tokens.body.access_token), 200);
    assert.equal((await deviceRow(s(), device_code)).status, 'consumed');
    assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.token_issued')).length, 1);
  });

  it('a device code used twice is a replay: invalid_grant and its tokens are revoked', async () => {
    const setup = await thirdPartySetup(s());
    const { device_code, user_code } = await start(s(), setup);
    await decide(setup.browser, user_code, 'allow');
    const tokens = await poll(s(), setup, device_code);
    const again = await poll(s(), setup, device_code);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal(await userStatus(s(), tokens.body.access_token), 401);
    assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.code_replayed')).length, 1);
  });

  it('denies: the device gets access_denied; audited as oauth.denied', async () => {
    const setup = await thirdPartySetup(s());
    const { device_code, user_code } = await start(s(), setup);
    const done = await decide(setup.browser, user_code, 'deny');
    assert.match(done.text, /Access denied/);
    const res = await poll(s(), setup, device_code);
    assert.equal(res.body.error, 'access_denied');
    assert.equal((await auditRows(s(), setup.seller.user.id, 'oauth.denied')).length, 1);
    assert.equal((await s().ctx.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', setup.seller.user.id).execute()).length, 0);
  });

  it('slow_down when polling faster than the interval (which grows by 5 s); expired_token after expiry', async () => {
    const setup = await thirdPartySetup(s());
    const { device_code } = await start(s(), setup);
    assert.equal((await poll(s(), setup, device_code)).body.error, 'authorization_pending');
    const fast = await poll(s(), setup, device_code, false);
    assert.equal(fast.body.error, 'slow_down');
    assert.equal((await deviceRow(s(), device_code)).poll_interval, 10);
    await s().ctx.db.updateTable('oauth_device_codes').set({ expires_at: Date.now() - 1 }).where('device_code_hash', '=', s().ctx.keys.hash(device_code)).execute();
    assert.equal((await poll(s(), setup, device_code)).body.error, 'expired_token');
  });

  it("invalid_grant for another client's device code", async () => {
    const setup = await thirdPartySetup(s());
    const other = await thirdPartySetup(s());
    const { device_code } = await start(s(), setup);
    const res = await poll(s(), other, device_code);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('404 for an unknown code, 429 after too many wrong codes', async () => {
    const setup = await thirdPartySetup(s());
    const wrong = await setup.browser.get('/device?user_code=BBBB-BBBB');
    assert.equal(wrong.status, 404);
    assert.match(wrong.text, /not valid or has expired/);
    for (let i = 0; i < 19; i++) await setup.browser.get('/device?user_code=BBBB-BBBC');
    const limited = await setup.browser.get('/device?user_code=BBBB-BBBD');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('403 for a decision without the session’s CSRF token; the request stays pending', async () => {
    const setup = await thirdPartySetup(s());
    const { device_code, user_code } = await start(s(), setup);
    const res = await setup.browser.post('/device', { csrf: 'forged', user_code, decision: 'allow' });
    assert.equal(res.status, 403);
    assert.equal((await deviceRow(s(), device_code)).status, 'pending');
  });
});
