import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DIALECTS, TEST_SECRET, createTestDatabase, describeEachDialect, startServer, uniqueEmail, type TestServer } from '../support/harness.js';
import { Client } from '../support/client.js';
import { anonymousForm, follow, sessionCsrf } from '../web/support/forms.js';
import { auditOf, fakeClock } from './support.js';

const BIN = path.resolve('bin/tessera.mjs');

/** Issue 18.3: change in the dashboard, reset by an emailed single-use link, set by the operator; breached and length checks. */
describeEachDialect('Passwords', (s) => {
  let clock: ReturnType<typeof fakeClock>;
  before(() => {
    clock = fakeClock(s().ctx);
  });

  const canLogIn = async (email: string, password: string) => (await new Client(s().url).post('/api/session', { json: { email, password } })).status === 200;
  const sessionsOf = (userId: string) => s().ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();

  describe('POST /settings/security/password', () => {
    async function change(client: Client, current: string, next: string) {
      const csrf = await sessionCsrf(client, '/settings/security');
      return client.post('/settings/security/password', { form: { _csrf: csrf, current_password: current, new_password: next } });
    }

    it('303: changes the password, signs out every other session (this one stays) and says so', async () => {
      const seller = await s().signUp();
      const second = await new Client(s().url).post('/api/session', { json: { email: seller.user.email, password: seller.password } });
      assert.equal(second.status, 200);
      assert.equal((await sessionsOf(seller.user.id)).length, 2);
      const res = await change(seller.client, seller.password, 'a brand new passphrase');
      const page = await follow(seller.client, res);
      assert.match(page.text, /Password changed\. 1 other session signed out\./);
      assert.equal((await sessionsOf(seller.user.id)).length, 1, 'only this session is left');
      assert.equal((await seller.client.get('/settings/security')).status, 200, 'this session still works');
      assert.ok(await canLogIn(seller.user.email, 'a brand new passphrase'));
      assert.ok(!(await canLogIn(seller.user.email, seller.password)));
      const audit = await auditOf(s().ctx, seller.user.id, 'password.changed');
      assert.equal(JSON.parse(audit[0]!.metadata!).other_sessions_ended, 1);
      const mail = await s().ctx.db.selectFrom('mail_log').selectAll().where('user_id', '=', seller.user.id).where('kind', '=', 'password_changed').execute();
      assert.equal(mail.length, 1, 'a notice went to the mail log');
      assert.equal(mail[0]!.status, 'logged', 'no SMTP: logged, not sent');
    });

    it('303 back with the reason: a wrong current password, a common new one, a short one; nothing changes', async () => {
      const seller = await s().signUp();
      const cases: Array<[string, string, RegExp]> = [
        ['not my password', 'a brand new passphrase', /Your current password is not correct\./],
        [seller.password, 'password123', /one of the 10,000 most common passwords/],
        [seller.password, 'Baseball1', /one of the 10,000 most common passwords/],
        [seller.password, 'short', /at least 8 characters/],
        [seller.password, seller.password, /different from the current one/],
      ];
      for (const [current, next, message] of cases) {
        const page = await follow(seller.client, await change(seller.client, current, next));
        assert.match(page.text, message, `${current} → ${next}`);
      }
      assert.ok(await canLogIn(seller.user.email, seller.password), 'the password is unchanged');
      assert.equal((await auditOf(s().ctx, seller.user.id, 'password.changed')).length, 0);
    });

    it('403: a post without the CSRF token changes nothing', async () => {
      const seller = await s().signUp();
      const res = await seller.client.post('/settings/security/password', { form: { current_password: seller.password, new_password: 'a brand new passphrase' } });
      assert.equal(res.status, 403);
      assert.ok(await canLogIn(seller.user.email, seller.password));
    });
  });

  describe('POST /password/forgot and the reset link', () => {
    async function ask(email: string, client = s().client()) {
      const { cookie, csrf } = await anonymousForm(client, '/password/forgot');
      return client.post('/password/forgot', { form: { _csrf: csrf, email }, headers: { cookie } });
    }

    /** The link of the newest reset email to an address, read from the sealed copy with the server key. */
    async function resetLinkOf(email: string): Promise<string> {
      await s().ctx.mail.settled();
      const row = await s().ctx.db.selectFrom('mail_log').selectAll().where('to_address', '=', email).where('kind', '=', 'password_reset').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      assert.ok(!/token=[A-Za-z0-9_-]{43}/.test(row.body_masked), 'the readable copy masks the token');
      assert.match(row.body_masked, /token=\[sealed\]/);
      const { text, html } = JSON.parse(s().ctx.keys.decrypt(row.body_sealed)) as { text: string; html: string };
      assert.match(html, /<a href="[^"]+\/password\/reset\?token=/, 'an HTML part too');
      return /(\/password\/reset\?token=[A-Za-z0-9_-]{43})/.exec(text)![1]!;
    }

    it('303: the same answer for an address with an account and one without; only the first gets a link', async () => {
      const seller = await s().signUp();
      const stranger = uniqueEmail('nobody');
      const known = await ask(seller.user.email);
      const unknown = await ask(stranger);
      for (const res of [known, unknown]) {
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), '/password/forgot?sent=1');
        assert.equal(res.text, known.text);
      }
      await s().ctx.mail.settled();
      const tokens = await s().ctx.db.selectFrom('account_tokens').selectAll().where('user_id', '=', seller.user.id).where('purpose', '=', 'password_reset').execute();
      assert.equal(tokens.length, 1);
      assert.equal((await s().ctx.db.selectFrom('mail_log').select('id').where('to_address', '=', stranger).execute()).length, 0);
      const page = await s().client().get('/password/forgot?sent=1');
      assert.match(page.text, /noted in the server's mail log/, 'without SMTP the page says where the request went');
    });

    it('303 → /login?done=reset: the link sets a new password once, ends every session, and is used up', async () => {
      const seller = await s().signUp();
      await ask(seller.user.email);
      const link = await resetLinkOf(seller.user.email);
      const client = s().client();
      const form = await anonymousForm(client, link);
      assert.match(form.csrf, /./);
      const token = new URL(link, s().url).searchParams.get('token')!;
      const res = await client.post('/password/reset', { form: { _csrf: form.csrf, token, password: 'my reset passphrase' }, headers: { cookie: form.cookie } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?done=reset');
      assert.equal((await sessionsOf(seller.user.id)).length, 0, 'every session ended');
      assert.ok(await canLogIn(seller.user.email, 'my reset passphrase'));
      assert.equal((await auditOf(s().ctx, seller.user.id, 'password.reset')).length, 1);
      const again = await s().client().get(link);
      assert.equal(again.status, 400);
      assert.match(again.text, /not valid any more/);
      const user = await s().ctx.db.selectFrom('users').select('email_verified_at').where('id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.ok(user.email_verified_at, 'following the link proved the mailbox');
    });

    it('400: a common password on the reset form keeps the link; an expired link is refused', async () => {
      const seller = await s().signUp();
      await ask(seller.user.email);
      const link = await resetLinkOf(seller.user.email);
      const token = new URL(link, s().url).searchParams.get('token')!;
      const client = s().client();
      const form = await anonymousForm(client, link);
      const weak = await client.post('/password/reset', { form: { _csrf: form.csrf, token, password: 'iloveyou1' }, headers: { cookie: form.cookie } });
      assert.equal(weak.status, 400);
      assert.match(weak.text, /most common passwords/);
      assert.equal((await s().client().get(link)).status, 200, 'the link still works');
      clock.advance(3600_000 + 1);
      const expired = await s().client().get(link);
      assert.equal(expired.status, 400);
      assert.match(expired.text, /not valid any more/);
      const late = await client.post('/password/reset', { form: { _csrf: form.csrf, token, password: 'my reset passphrase' }, headers: { cookie: form.cookie } });
      assert.equal(late.status, 400);
      assert.ok(await canLogIn(seller.user.email, seller.password), 'the password is unchanged');
    });

    it('429: a burst of 12 requests for one address lets 3 through, the rest wait with Retry-After', async () => {
      const seller = await s().signUp();
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/password/forgot');
      const results = await Promise.all(Array.from({ length: 12 }, () => client.post('/password/forgot', { form: { _csrf: csrf, email: seller.user.email }, headers: { cookie } })));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(3).fill(303), ...Array(9).fill(429)]);
      const limited = results.find((r) => r.status === 429)!;
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.match(limited.text, /Too many reset requests/);
      await s().ctx.mail.settled();
      const mails = await s().ctx.db.selectFrom('mail_log').select('id').where('to_address', '=', seller.user.email).where('kind', '=', 'password_reset').execute();
      assert.equal(mails.length, 3);
    });

    it('400: not an email address', async () => {
      const res = await ask('not an email');
      assert.equal(res.status, 400);
      assert.match(res.text, /Enter the email address of your account/);
    });
  });

  describe('POST /api/users (sign-up)', () => {
    it('400: a common password is refused with the reason, and no account is made', async () => {
      const email = uniqueEmail('common');
      const res = await s().client().post('/api/users', { json: { email, password: 'qwertyuiop' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'password_rejected');
      assert.match(res.body.message, /most common passwords/);
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });
  });
  // Sign-up over HTTP on a server that has accounts: TESSERA_SIGNUP=open (test/admin/signup-policy.test.ts tests invite).
}, { TESSERA_SIGNUP: 'open' });

for (const dialect of DIALECTS) {
  describe(`tessera user password EMAIL [${dialect}]`, () => {
    let env: Record<string, string>;
    let server: TestServer;
    let drop: () => Promise<void>;

    function cli(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
        child.stdin.end(input);
      });
    }

    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = database.drop;
      env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
      server = await startServer(dialect, env);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    it('sets the password read from stdin, signs out every session, audits it', async () => {
      const seller = await server.signUp();
      const res = await cli(['user', 'password', seller.user.email, '--json'], 'set by the operator\n');
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), { email: seller.user.email, sessionsEnded: 1 });
      assert.equal((await server.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', seller.user.id).execute()).length, 0);
      assert.equal((await new Client(server.url).post('/api/session', { json: { email: seller.user.email, password: 'set by the operator' } })).status, 200);
      const audit = await server.ctx.db.selectFrom('audit_events').select('actor_type').where('user_id', '=', seller.user.id).where('action', '=', 'password.set_by_operator').execute();
      assert.deepEqual(audit, [{ actor_type: 'cli' }]);
    });

    it('fails clearly for a common password or an unknown account, changing nothing', async () => {
      const seller = await server.signUp();
      const common = await cli(['user', 'password', seller.user.email], 'sunshine1\n');
      assert.equal(common.code, 1);
      assert.match(common.stderr, /most common passwords/);
      const unknown = await cli(['user', 'password', uniqueEmail('ghost')], 'a fine passphrase\n');
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No user with this email/);
      const usage = await cli(['user', 'password'], '');
      assert.equal(usage.code, 2);
      assert.equal((await new Client(server.url).post('/api/session', { json: { email: seller.user.email, password: seller.password } })).status, 200);
    });
  });
}
