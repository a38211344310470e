import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { anonymousForm, sessionCsrf } from './support/forms.js';

const PASSWORD = 'correct horse battery';

// Many sign-ups on one server: TESSERA_SIGNUP=open here (test/admin/signup-policy.test.ts tests invite and closed).
describeEachDialect('Dashboard sign-up, login and logout', (s) => {
  const sessionsOf = (userId: string) => s().ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();

  describe('logged-out visitors', () => {
    it('are sent to the login page with the page they asked for as next', async () => {
      const res = await s().client().get('/settings/advanced');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?next=%2Fsettings%2Fadvanced');
      const home = await s().client().get('/');
      assert.equal(home.status, 303);
      assert.equal(home.headers.get('location'), '/login');
    });

    it('get the login form with labelled fields and a double-submit CSRF cookie', async () => {
      const res = await s().client().get('/login?next=%2Faudit');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /text\/html/);
      assert.match(res.text, /<label for="f-email">Email/);
      assert.match(res.text, /<label for="f-password">Password/);
      assert.match(res.text, /name="next" value="\/audit"/);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'self'/);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tessera_csrf='))!;
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
    });
  });

  describe('POST /signup', () => {
    it('303: creates the account, logs in and goes to next', async () => {
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/signup');
      const email = uniqueEmail('web');
      const res = await client.post('/signup', { form: { _csrf: csrf, email, password: PASSWORD, next: '/audit' }, headers: { cookie } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/audit');
      assert.ok(client.cookie, 'a session cookie was set');
      const user = await s().ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      assert.equal((await sessionsOf(user.id)).length, 1);
      assert.equal((await client.get('/audit')).status, 200);
    });

    it('400: a short password is refused on the form, and no account is made', async () => {
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/signup');
      const email = uniqueEmail('web');
      const res = await client.post('/signup', { form: { _csrf: csrf, email, password: 'short', next: '/' }, headers: { cookie } });
      assert.equal(res.status, 400);
      assert.match(res.text, /role="alert">Choose a password of at least 8 characters\./);
      assert.match(res.text, new RegExp(`value="${email}"`));
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });

    it('409: a taken email is said so on the form', async () => {
      const { user } = await s().signUp();
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/signup');
      const res = await client.post('/signup', { form: { _csrf: csrf, email: user.email, password: PASSWORD, next: '/' }, headers: { cookie } });
      assert.equal(res.status, 409);
      assert.match(res.text, /An account with this email already exists\./);
    });

    it('403: a post without the CSRF token makes no account', async () => {
      const email = uniqueEmail('web');
      const res = await s().client().post('/signup', { form: { email, password: PASSWORD } });
      assert.equal(res.status, 403);
      assert.match(res.text, /This form has expired or did not come from Tessera/);
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });
  });

  describe('POST /login', () => {
    it('303: sets an HTTP-only session cookie and goes to a same-site next only', async () => {
      const { user } = await s().signUp();
      for (const [next, expected] of [['/settings/advanced', '/settings/advanced'], ['//evil.example/x', '/'], ['https://evil.example', '/']]) {
        const client = s().client();
        const { cookie, csrf } = await anonymousForm(client, '/login');
        const res = await client.post('/login', { form: { _csrf: csrf, email: user.email, password: PASSWORD, next: next! }, headers: { cookie } });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), expected);
        const session = res.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))!;
        assert.match(session, /HttpOnly/);
        assert.match(session, /SameSite=Lax/);
      }
      assert.equal((await sessionsOf(user.id)).length, 4);
    });

    it('401: a wrong password is shown on the form and audited', async () => {
      const { user } = await s().signUp();
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const res = await client.post('/login', { form: { _csrf: csrf, email: user.email, password: 'wrong password', next: '/' }, headers: { cookie } });
      assert.equal(res.status, 401);
      assert.match(res.text, /role="alert">Wrong email or password\./);
      assert.equal(client.cookie, undefined);
      const failed = await s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).where('action', '=', 'login.failed').execute();
      assert.equal(failed.length, 1);
      assert.ok(!JSON.stringify(failed).includes('wrong password'));
    });

    it('429: too many failures are refused with Retry-After, even with the right password', async () => {
      const { user } = await s().signUp();
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const attempt = (password: string) => client.post('/login', { form: { _csrf: csrf, email: user.email, password, next: '/' }, headers: { cookie } });
      for (let i = 0; i < s().ctx.config.loginLimit.perEmail; i++) assert.equal((await attempt('wrong password')).status, 401);
      const res = await attempt(PASSWORD);
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.match(res.text, /Too many login attempts/);
      assert.equal((await sessionsOf(user.id)).length, 1, 'only the sign-up session exists');
    });

    it('403: a token that belongs to another cookie is refused', async () => {
      const { user } = await s().signUp();
      const mine = await anonymousForm(s().client(), '/login');
      const theirs = await anonymousForm(s().client(), '/login');
      const res = await s().client().post('/login', { form: { _csrf: theirs.csrf, email: user.email, password: PASSWORD }, headers: { cookie: mine.cookie } });
      assert.equal(res.status, 403);
      assert.equal((await sessionsOf(user.id)).length, 1);
    });

    it('403: a cross-site post is refused even with a valid token', async () => {
      const { user } = await s().signUp();
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const res = await client.post('/login', { form: { _csrf: csrf, email: user.email, password: PASSWORD }, headers: { cookie, origin: 'https://evil.example' } });
      assert.equal(res.status, 403);
      assert.equal((await sessionsOf(user.id)).length, 1);
    });
  });

  describe('POST /logout', () => {
    it('303: ends the session and goes to the login page', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client);
      const res = await client.post('/logout', { form: { _csrf: csrf } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login');
      assert.equal((await sessionsOf(user.id)).length, 0);
      assert.equal(client.cookie, undefined);
    });

    it('403: without the CSRF token the session stays', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/logout', { form: {} });
      assert.equal(res.status, 403);
      assert.equal((await sessionsOf(user.id)).length, 1);
    });
  });
}, { TESSERA_SIGNUP: 'open' });
