import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { Client } from '../support/client.js';
import { createKey } from '../flows/support/fixtures.js';
import { auditOf, cookieOf, enableTotp, totpClock, totpCode } from './support.js';

/** Issue 18.4: sign-in asks for the second factor after the password; sensitive actions ask for a fresh one. */
describeEachDialect('Second factor at sign-in and step-up (JSON API)', (s) => {
  const clock = totpClock(s);
  const { nextCode } = clock;

  /** A seeded seller with TOTP on; its seed session proved nothing. */
  async function withTotp() {
    const seller = await s().signUp();
    return { ...seller, ...(await enableTotp(s().ctx, seller.user)) };
  }

  /** The password step: a fresh client holding only the login cookie. */
  async function passwordStep(email: string, password: string) {
    const client = new Client(s().url);
    const res = await client.post('/api/session', { json: { email, password } });
    return { client, res, login: cookieOf(res, 'tessera_login') };
  }

  const secondStep = (client: Client, login: string | undefined, body: Record<string, unknown>) =>
    client.post('/api/session/second-factor', { json: body, headers: login ? { cookie: login } : {} });

  const sessionsOf = (userId: string) => s().ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();

  describe('POST /api/session', () => {
    it('401: a right password of an account with TOTP opens no session; it answers second_factor_required and sets a login cookie', async () => {
      const seller = await withTotp();
      const before = (await sessionsOf(seller.user.id)).length;
      const { client, res, login } = await passwordStep(seller.user.email, seller.password);
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'second_factor_required');
      assert.match(res.body.message, /authenticator app/);
      assert.equal(client.cookie, undefined, 'no session cookie');
      assert.ok(login, 'a login cookie');
      assert.match(res.headers.getSetCookie().find((c) => c.startsWith('tessera_login='))!, /HttpOnly/);
      assert.equal((await sessionsOf(seller.user.id)).length, before, 'no session row');
      const challenge = await s().ctx.db.selectFrom('auth_challenges').selectAll().where('user_id', '=', seller.user.id).where('purpose', '=', 'login').execute();
      assert.equal(challenge.length, 1);
      assert.ok(!challenge[0]!.id.includes(login!.split('=')[1]!), 'only a hash of the secret is stored');
    });

    it('401: a wrong password says only that, with no login cookie', async () => {
      const seller = await withTotp();
      const { res, login } = await passwordStep(seller.user.email, 'not the password');
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_login');
      assert.equal(login, undefined);
    });
  });

  describe('POST /api/session/second-factor', () => {
    it('200: the current TOTP code opens a session that proved its second factor; the login cookie is used up', async () => {
      const seller = await withTotp();
      const { client, login } = await passwordStep(seller.user.email, seller.password);
      const res = await secondStep(client, login, { code: nextCode(seller.secret) });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true, user: { id: seller.user.id, email: seller.user.email } });
      assert.ok(client.cookie, 'a session cookie');
      const me = await client.get('/api/session');
      assert.equal(me.status, 200);
      const sessions = await sessionsOf(seller.user.id);
      const made = sessions.find((row) => row.second_factor_at !== null);
      assert.ok(made, 'the new session proved a second factor');
      const verified = await auditOf(s().ctx, seller.user.id, 'second_factor.verified');
      assert.equal(JSON.parse(verified.at(-1)!.metadata!).method, 'totp');
      const again = await secondStep(new Client(s().url), login, { code: nextCode(seller.secret) });
      assert.equal(again.status, 401);
      assert.equal(again.body.error, 'login_challenge_expired');
    });

    it('200: a recovery code works once; the same code later is refused', async () => {
      const seller = await withTotp();
      const code = seller.recoveryCodes[3]!;
      const first = await passwordStep(seller.user.email, seller.password);
      assert.equal((await secondStep(first.client, first.login, { code: code.toUpperCase().replace('-', ' ') })).status, 200);
      const used = await s().ctx.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', seller.user.id).where('used_at', 'is not', null).execute();
      assert.equal(used.length, 1);
      const second = await passwordStep(seller.user.email, seller.password);
      const res = await secondStep(second.client, second.login, { code });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'second_factor_invalid');
    });

    it('400: neither a code nor a passkey', async () => {
      const seller = await withTotp();
      const { client, login } = await passwordStep(seller.user.email, seller.password);
      const res = await secondStep(client, login, {});
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'validation_failed');
    });

    it('401: a wrong code is refused and audited; no session is made', async () => {
      const seller = await withTotp();
      const before = (await sessionsOf(seller.user.id)).length;
      const { client, login } = await passwordStep(seller.user.email, seller.password);
      const right = nextCode(seller.secret);
      const res = await secondStep(client, login, { code: right === '000000' ? '111111' : '000000' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'second_factor_invalid');
      assert.equal((await sessionsOf(seller.user.id)).length, before);
      assert.equal((await auditOf(s().ctx, seller.user.id, 'second_factor.failed')).length, 1);
    });

    it('401: a TOTP code works once (a replayed code is refused)', async () => {
      const seller = await withTotp();
      const code = nextCode(seller.secret);
      const first = await passwordStep(seller.user.email, seller.password);
      assert.equal((await secondStep(first.client, first.login, { code })).status, 200);
      const second = await passwordStep(seller.user.email, seller.password);
      const res = await secondStep(second.client, second.login, { code });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'second_factor_invalid');
    });

    it('401: without the login cookie, or after five minutes, the sign-in starts over', async () => {
      const seller = await withTotp();
      const none = await secondStep(new Client(s().url), undefined, { code: '123456' });
      assert.equal(none.status, 401);
      assert.equal(none.body.error, 'login_challenge_expired');
      const { client, login } = await passwordStep(seller.user.email, seller.password);
      clock.advance(5 * 60_000 + 1);
      const res = await secondStep(client, login, { code: totpCode(seller.secret, clock.at) });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'login_challenge_expired');
      assert.equal(client.cookie, undefined);
    });

    it('429: a burst of 20 wrong codes at once gets exactly 5 checks; the rest, and then the right code, wait', async () => {
      const seller = await withTotp();
      const { login } = await passwordStep(seller.user.email, seller.password);
      const right = nextCode(seller.secret);
      const wrong = right === '000000' ? '111111' : '000000';
      const results = await Promise.all(Array.from({ length: 20 }, () => secondStep(new Client(s().url), login, { code: wrong })));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(15).fill(429)]);
      const limited = results.find((r) => r.status === 429)!;
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(limited.body.error, 'rate_limited');
      assert.equal((await auditOf(s().ctx, seller.user.id, 'second_factor.failed')).length, 5, 'only the reserved attempts were checked');
      const blocked = await secondStep(new Client(s().url), login, { code: right });
      assert.equal(blocked.status, 429, 'the account waits out the window, right code or not');
    });
  });

  describe('POST /api/session/step-up and sensitive actions', () => {
    /** Signed in with TOTP, as a person would: password, then the code. */
    async function signedInWithTotp() {
      const seller = await withTotp();
      const { client, login } = await passwordStep(seller.user.email, seller.password);
      assert.equal((await secondStep(client, login, { code: nextCode(seller.secret) })).status, 200);
      return { ...seller, client };
    }

    async function later<T>(ms: number, run: () => Promise<T>): Promise<T> {
      clock.advance(ms);
      return run();
    }

    it('200: reveal works right after a sign-in with the second factor; 403 second_factor_stale past TESSERA_SECOND_FACTOR_FRESH; a step-up covers it again', async () => {
      const seller = await signedInWithTotp();
      assert.equal((await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } })).status, 200);
      const { key, api_key } = await createKey(seller.client);
      const fresh = await seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: seller.password } });
      assert.equal(fresh.status, 200);
      assert.equal(fresh.body.api_key, api_key);
      await later(11 * 60_000, async () => {
        const stale = await seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: seller.password } });
        assert.equal(stale.status, 403);
        assert.equal(stale.body.error, 'second_factor_stale');
        const revealed = await s().ctx.db.selectFrom('audit_events').select('id').where('action', '=', 'apikey.revealed').where('target_id', '=', key.id).execute();
        assert.equal(revealed.length, 1, 'the stale attempt revealed nothing');
        const step = await seller.client.post('/api/session/step-up', { json: { code: nextCode(seller.secret) } });
        assert.equal(step.status, 200);
        assert.deepEqual(step.body, { success: true });
        const again = await seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: seller.password } });
        assert.equal(again.status, 200);
      });
    });

    it('403: regenerating a client secret with a stale second factor is refused and keeps the secret', async () => {
      const seller = await signedInWithTotp();
      const app = await seller.client.post('/api/applications', { json: { name: 'Shop', redirect_uri: 'https://shop.example/cb' } });
      assert.equal(app.status, 201);
      const id = app.body.application.id;
      const before = await s().ctx.db.selectFrom('applications').select('client_secret_hash').where('id', '=', id).executeTakeFirstOrThrow();
      await later(11 * 60_000, async () => {
        const stale = await seller.client.post(`/api/applications/${id}/secret`);
        assert.equal(stale.status, 403);
        assert.equal(stale.body.error, 'second_factor_stale');
        const after = await s().ctx.db.selectFrom('applications').select('client_secret_hash').where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(after.client_secret_hash, before.client_secret_hash);
        assert.equal((await seller.client.post('/api/session/step-up', { json: { code: seller.recoveryCodes[0]! } })).status, 200);
        const ok = await seller.client.post(`/api/applications/${id}/secret`);
        assert.equal(ok.status, 200);
        assert.ok(ok.body.client_secret);
      });
    });

    it('200: an account without a second factor is not asked', async () => {
      const seller = await s().signUp();
      const app = await seller.client.post('/api/applications', { json: { name: 'Plain', redirect_uri: 'https://plain.example/cb' } });
      assert.equal((await seller.client.post(`/api/applications/${app.body.application.id}/secret`)).status, 200);
    });

    it('401: a step-up needs a session, and a wrong code is refused', async () => {
      const anonymous = await new Client(s().url).post('/api/session/step-up', { json: { code: '123456' } });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error, 'session_required');
      const seller = await signedInWithTotp();
      const wrong = await seller.client.post('/api/session/step-up', { json: { code: 'aaaaa-aaaaa' } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'second_factor_invalid');
    });
  });
});

describeEachDialect('Second factor at sign-in (dashboard forms)', (s) => {
  const clock = totpClock(s);
  async function passwordForm(server: TestServer, email: string, password: string, next = '/audit') {
    const client = server.client();
    const page = await client.get('/login');
    const csrfCookie = cookieOf(page, 'tessera_csrf')!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await client.post('/login', { form: { _csrf: csrf, email, password, next }, headers: { cookie: csrfCookie } });
    return { client, res, cookies: `${csrfCookie}; ${cookieOf(res, 'tessera_login') ?? ''}`, csrf };
  }

  it('303 → /login/second-factor, whose form takes the code and goes to next with a session; a wrong code is 401 on the page', async () => {
    const seller = await s().signUp();
    const { secret } = await enableTotp(s().ctx, seller.user);
    const { client, res, cookies, csrf } = await passwordForm(s(), seller.user.email, seller.password);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login/second-factor');
    assert.equal(client.cookie, undefined, 'no session yet');
    const page = await client.get('/login/second-factor', { headers: { cookie: cookies } });
    assert.equal(page.status, 200);
    assert.match(page.text, /<label for="f-code">Authentication code/);
    assert.ok(page.text.includes(seller.user.email));
    clock.advance(30_000);
    const right = totpCode(secret, clock.at);
    const wrong = await client.post('/login/second-factor', { form: { _csrf: csrf, code: right === '000000' ? '111111' : '000000' }, headers: { cookie: cookies } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /role="alert">That code is not right/);
    const ok = await client.post('/login/second-factor', { form: { _csrf: csrf, code: right }, headers: { cookie: cookies } });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/audit');
    assert.ok(client.cookie);
    assert.match(ok.headers.getSetCookie().find((c) => c.startsWith('tessera_login='))!, /Expires=Thu, 01 Jan 1970/);
    assert.equal((await client.get('/audit')).status, 200);
  });

  it('303 → /login?done=expired: the second step without a pending sign-in', async () => {
    const client = s().client();
    const page = await client.get('/login/second-factor');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?done=expired');
    const login = await client.get('/login?done=expired');
    assert.match(login.text, /took too long or was already finished/);
  });

  it('403: the second step without its CSRF token', async () => {
    const seller = await s().signUp();
    await enableTotp(s().ctx, seller.user);
    const { client, cookies } = await passwordForm(s(), seller.user.email, seller.password);
    const res = await client.post('/login/second-factor', { form: { code: '123456' }, headers: { cookie: cookies } });
    assert.equal(res.status, 403);
  });
});

describeEachDialect(
  'TESSERA_REQUIRE_2FA=1: every account sets up a second factor first',
  (s) => {
    it('303: a dashboard page sends an account without a factor to Security, which says why', async () => {
      const seller = await s().signUp();
      const res = await seller.client.get('/products');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/settings/security');
      const page = await seller.client.get('/settings/security');
      assert.equal(page.status, 200);
      assert.match(page.text, /requires a second factor for every account/);
    });

    it('403: the session JSON API answers second_factor_setup_required until a factor is set up, then works', async () => {
      const seller = await s().signUp();
      const refused = await seller.client.get('/api/session');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'second_factor_setup_required');
      await enableTotp(s().ctx, seller.user);
      assert.equal((await seller.client.get('/api/session')).status, 200);
    });

    it('409: the last factor cannot be removed while the instance requires one', async () => {
      const seller = await s().signUp();
      await enableTotp(s().ctx, seller.user);
      const { removeTotp } = await import('../../src/accounts/totp.js');
      await assert.rejects(removeTotp(s().ctx, seller.user.id, { type: 'cli', id: null, ip: null }), (err: Error & { code?: string }) => err.code === 'LAST_SECOND_FACTOR');
      const row = await s().ctx.db.selectFrom('totp_credentials').select('confirmed_at').where('user_id', '=', seller.user.id).executeTakeFirst();
      assert.ok(row?.confirmed_at, 'the authenticator stays');
    });
  },
  { TESSERA_REQUIRE_2FA: '1' },
);
