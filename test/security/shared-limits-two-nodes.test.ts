import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, startServer, type TestServer } from '../support/harness.js';
import { Client } from '../support/client.js';
import { cookieOf, enableTotp } from '../accounts/support.js';
import { anonymousForm } from '../web/support/forms.js';
import { Browser, thirdPartySetup } from '../oauth/support.js';

/**
 * Second-factor codes, password-reset requests and device-flow user codes are counted in the
 * database (src/http/limiters.ts): two servers on one database stand for two nodes, and an
 * attacker who spreads a burst over both gets no more than one server's limit.
 */
for (const dialect of DIALECTS) {
  describe(`shared limits: two servers on one database [${dialect}]`, () => {
    let a: TestServer;
    let b: TestServer;
    let drop: () => Promise<void>;
    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = database.drop;
      a = await startServer(dialect, database.env);
      b = await startServer(dialect, database.env);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await drop?.();
    });
    const either = (i: number) => (i % 2 ? b : a);

    it('second factor: 30 wrong codes spread over both servers at once get exactly 5 checks; then a right code is refused on either', async () => {
      const seller = await a.signUp();
      const { recoveryCodes } = await enableTotp(a.ctx, seller.user);
      const password = await new Client(a.url).post('/api/session', { json: { email: seller.user.email, password: seller.password } });
      assert.equal(password.status, 401);
      assert.equal(password.body.error, 'second_factor_required');
      const login = cookieOf(password, 'tessera_login')!;
      const answer = (server: TestServer, code: string) => new Client(server.url).post('/api/session/second-factor', { json: { code }, headers: { cookie: login } });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => answer(either(i), 'aaaaa-aaaaa')));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(25).fill(429)]);
      const failed = await a.ctx.db.selectFrom('audit_events').select('id').where('user_id', '=', seller.user.id).where('action', '=', 'second_factor.failed').execute();
      assert.equal(failed.length, 5);
      for (const server of [a, b]) {
        const right = await answer(server, recoveryCodes[0]!);
        assert.equal(right.status, 429, `refused on ${server === a ? 'A' : 'B'}`);
      }
      const sessions = await a.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', seller.user.id).execute();
      assert.equal(sessions.length, 1, 'only the seed session: no sign-in got through');
    });

    it('password reset: 12 requests for one address spread over both servers get exactly 3 through; the next is refused on either', async () => {
      const seller = await a.signUp();
      const forms = { a: await anonymousForm(a.client(), '/password/forgot'), b: await anonymousForm(b.client(), '/password/forgot') };
      const ask = (server: TestServer) => {
        const { cookie, csrf } = server === a ? forms.a : forms.b;
        return new Client(server.url).post('/password/forgot', { form: { _csrf: csrf, email: seller.user.email }, headers: { cookie } });
      };
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(either(i))));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(3).fill(303), ...Array(9).fill(429)]);
      for (const server of [a, b]) assert.equal((await ask(server)).status, 429);
    });

    it('device flow: 10 wrong user codes on A and 10 on B use up the 20; the next is refused on both', async () => {
      const setup = await thirdPartySetup(a);
      const onB = new Browser(b.url).withSessionCookie(setup.seller.client.cookie);
      for (const [browser, n] of [[setup.browser, 10], [onB, 10]] as const) {
        const results = await Promise.all(Array.from({ length: n }, () => browser.get('/device?user_code=BBBB-BBBB')));
        assert.deepEqual(results.map((r) => r.status), Array(n).fill(404));
      }
      for (const browser of [setup.browser, onB]) {
        const limited = await browser.get('/device?user_code=BBBB-BBBC');
        assert.equal(limited.status, 429);
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
      }
    });
  });
}
