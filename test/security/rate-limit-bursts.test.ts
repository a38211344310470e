import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail, type TestServer } from '../support/harness.js';
import { createKey } from '../flows/support/fixtures.js';
import { basic, thirdPartySetup } from '../oauth/support.js';
import { auditOf, enableTotp } from '../accounts/support.js';
import { anonymousForm } from '../web/support/forms.js';

/** The stored count of a shared limiter (rate_limit_counters), summed over its keys and windows. */
async function storedHits(s: TestServer, limiter: string): Promise<number> {
  const rows = await s.ctx.db.selectFrom('rate_limit_counters').select('hits').where('limiter', '=', limiter).execute();
  return rows.reduce((n, r) => n + Number(r.hits), 0);
}

/**
 * Issue 11.3: the limits used to be checked before the slow argon2 check and counted after it, so
 * a parallel burst passed whole (200 of 200 logins against 10, 100 of 100 reveals against 5).
 * Each attempt is now reserved before the check: N parallel attempts let at most L through.
 */
describeEachDialect(
  'bursts against the rate limits',
  (s) => {
    const countAudit = async (action: string, email?: string) => {
      const rows = await s().ctx.db.selectFrom('audit_events').select('metadata').where('action', '=', action).execute();
      return email ? rows.filter((r) => r.metadata?.includes(email)).length : rows.length;
    };

    describe('POST /api/session: 200 parallel wrong passwords against a limit of 10', () => {
      it('lets at most 10 reach the password check; the rest are 429', async () => {
        const { user } = await s().signUp();
        const results = await Promise.all(
          Array.from({ length: 200 }, () => s().client().post('/api/session', { json: { email: user.email, password: 'wrong password!' } })),
        );
        const statuses = results.map((r) => r.status);
        const checked = statuses.filter((st) => st === 401).length;
        assert.ok(checked <= 10, `${checked} attempts reached argon2`);
        assert.ok(checked >= 1);
        assert.equal(statuses.filter((st) => st === 429).length, 200 - checked, JSON.stringify([...new Set(statuses)]));
        assert.ok(results.filter((r) => r.status === 429).every((r) => r.body.error === 'rate_limited' && Number(r.headers.get('retry-after')) > 0));
        assert.equal(await countAudit('login.failed', user.email), checked, 'one audited check per attempt let through');
      });
    });

    describe('POST /api/api-keys/:id/reveal: 100 parallel wrong passwords against 5', () => {
      it('lets at most 5 reach the password check', async () => {
        const seller = await s().signUp();
        assert.equal((await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } })).status, 200);
        const { key } = await createKey(seller.client);
        const results = await Promise.all(
          Array.from({ length: 100 }, () => seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: 'wrong password!' } })),
        );
        const checked = results.filter((r) => r.status !== 429).length;
        assert.ok(checked <= 5, `${checked} reveals reached argon2`);
        assert.ok(results.filter((r) => r.status !== 429).every((r) => r.status === 401 || r.status === 403), JSON.stringify(results.map((r) => r.status)));
        assert.equal(await countAudit('login.failed', seller.user.email), checked);
        const right = await seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: seller.password } });
        assert.equal(right.status, 429, 'paused, even with the right password');
      });
    });

    describe('POST /oauth/token: 50 parallel requests against a per-client limit of 10', () => {
      it('lets at most 10 through', async () => {
        const setup = await thirdPartySetup(s());
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            s().client().post('/oauth/token', { form: { grant_type: 'client_credentials', scope: 'view_sales' }, headers: basic(setup.clientId, setup.clientSecret) }),
          ),
        );
        const through = results.filter((r) => r.status !== 429);
        assert.ok(through.length <= 10, `${through.length} token requests went through`);
        assert.ok(through.every((r) => r.status === 200), JSON.stringify(through.map((r) => r.body)));
        const app = await s().ctx.db.selectFrom('applications').select('id').where('client_id', '=', setup.clientId).executeTakeFirstOrThrow();
        const tokens = await s().ctx.db.selectFrom('access_tokens').select('id').where('application_id', '=', app.id).execute();
        assert.equal(tokens.length, through.length, 'one token per request let through');
      });
    });

    describe('POST /api/session/step-up: 40 parallel wrong codes against 5 per account', () => {
      it('checks exactly 5 (counted in the database before the check); the rest, and then a right code, are 429', async () => {
        const seller = await s().signUp();
        const { recoveryCodes } = await enableTotp(s().ctx, seller.user);
        const results = await Promise.all(Array.from({ length: 40 }, () => seller.client.post('/api/session/step-up', { json: { code: 'aaaaa-aaaaa' } })));
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(35).fill(429)]);
        assert.ok(results.filter((r) => r.status === 429).every((r) => r.body.error === 'rate_limited' && Number(r.headers.get('retry-after')) > 0));
        assert.equal((await auditOf(s().ctx, seller.user.id, 'second_factor.failed')).length, 5, 'one audited check per attempt let through');
        assert.equal(await storedHits(s(), 'second_factor_user'), 5, 'the five wrong codes, stored for every node');
        const right = await seller.client.post('/api/session/step-up', { json: { code: recoveryCodes[0]! } });
        assert.equal(right.status, 429, 'the account waits out the window, right code or not');
        const unused = await s().ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', seller.user.id).where('used_at', 'is', null).execute();
        assert.equal(unused.length, 10, 'the refused right code was not even checked');
      });
    });

    describe('POST /password/forgot: 30 parallel requests from one client for 30 addresses against 10 per client', () => {
      it('lets exactly 10 through; the rest are 429 and count for none of the addresses', async () => {
        const client = s().client();
        const { cookie, csrf } = await anonymousForm(client, '/password/forgot');
        const emails = Array.from({ length: 30 }, () => uniqueEmail('reset'));
        const results = await Promise.all(emails.map((email) => client.post('/password/forgot', { form: { _csrf: csrf, email }, headers: { cookie } })));
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...Array(10).fill(303), ...Array(20).fill(429)]);
        const limited = results.find((r) => r.status === 429)!;
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
        assert.match(limited.text, /Too many reset requests/);
        assert.equal(await storedHits(s(), 'password_reset_ip'), 10);
        assert.equal(await storedHits(s(), 'password_reset_email'), 10, 'a request refused for the client was given back to its address');
      });
    });

    describe('GET /device: 50 parallel wrong user codes against 20 per account', () => {
      it('looks up exactly 20; the rest are 429', async () => {
        const setup = await thirdPartySetup(s());
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => setup.browser.get(`/device?user_code=BBBB-${'BCDFGHJKLMNPQRSTVWXZ'[i % 20]}BBB`)));
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...Array(20).fill(404), ...Array(30).fill(429)]);
        assert.ok(results.filter((r) => r.status === 429).every((r) => Number(r.headers.get('retry-after')) > 0));
        assert.equal(await storedHits(s(), 'device_guesses'), 20);
      });
    });
  },
  { TESSERA_LOGIN_LIMIT_PER_EMAIL: '10', TESSERA_LOGIN_LIMIT_PER_IP: '1000', TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT: '10' },
);
