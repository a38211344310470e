import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { Client } from '../support/client.js';
import { startSmtpSink, textPart } from '../support/smtp-sink.js';
import { anonymousForm, follow, sessionCsrf } from '../web/support/forms.js';
import { cookieOf } from './support.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

// The sink listens before the servers start: their SMTP_URL names its port.
const sink = await startSmtpSink();
after(() => sink.close());

/** Issue 18.6: account email over SMTP (verification, reset, new sign-in), with a plain-text part; the owner's mail log. */
describeEachDialect(
  'Account email over SMTP',
  (s) => {
    let owner: Awaited<ReturnType<ReturnType<typeof s>['signUp']>>;
    before(async () => {
      owner = await s().signUp(uniqueEmail('owner')); // the first account of this server: its owner
    });

    async function signUpOverHttp(userAgent?: string) {
      const client = new Client(s().url);
      const email = uniqueEmail('mail');
      const res = await client.post('/api/users', { json: { email, password: 'a good long passphrase' }, headers: userAgent ? { 'user-agent': userAgent } : {} });
      assert.equal(res.status, 201);
      await s().ctx.mail.settled();
      return { client, email, id: res.body.user.id as string, device: cookieOf(res, 'tessera_device')! };
    }

    describe('email verification', () => {
      it('a new account gets a link with a plain-text and an HTML part; the link confirms the address once', async () => {
        const { email, id } = await signUpOverHttp();
        const [mail] = sink.to(email);
        assert.ok(mail, 'a message reached the SMTP server');
        assert.match(mail.data, /^Subject: Confirm your email address for Tessera\r?$/m);
        assert.match(mail.data, /Content-Type: multipart\/alternative/i);
        assert.match(mail.data, /Content-Type: text\/html/i);
        const text = textPart(mail.data);
        const link = /(http:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]{43})/.exec(text)![1]!;
        const logged = await s().ctx.db.selectFrom('mail_log').selectAll().where('to_address', '=', email).where('kind', '=', 'email_verification').executeTakeFirstOrThrow();
        assert.equal(logged.status, 'sent');
        assert.ok(logged.sent_at);
        assert.ok(!logged.body_masked.includes(new URL(link).searchParams.get('token')!), 'the log masks the token');
        const page = await s().client().get(new URL(link).pathname + new URL(link).search);
        assert.equal(page.status, 200);
        assert.match(page.text, /Email address confirmed/);
        const user = await s().ctx.db.selectFrom('users').select('email_verified_at').where('id', '=', id).executeTakeFirstOrThrow();
        assert.ok(user.email_verified_at);
        const again = await s().client().get(new URL(link).pathname + new URL(link).search);
        assert.equal(again.status, 400);
        assert.match(again.text, /not valid any more/);
      });

      it('400: a made-up token', async () => {
        const res = await s().client().get(`/verify-email?token=${'A'.repeat(43)}`);
        assert.equal(res.status, 400);
      });

      it('the security page offers a new link while the address is not confirmed', async () => {
        const { client, email } = await signUpOverHttp();
        const page = await client.get('/settings/security');
        assert.match(page.text, /not confirmed/);
        const csrf = await sessionCsrf(client, '/settings/security');
        const done = await follow(client, await client.post('/settings/security/verify-email', { form: { _csrf: csrf } }));
        assert.match(done.text, /A confirmation link is on its way/);
        await s().ctx.mail.settled();
        assert.equal(sink.to(email).length, 2);
      });
    });

    describe('password reset', () => {
      it('the reset link arrives by SMTP and sets a new password', async () => {
        const { email } = await signUpOverHttp();
        const client = s().client();
        const { cookie, csrf } = await anonymousForm(client, '/password/forgot');
        const res = await client.post('/password/forgot', { form: { _csrf: csrf, email }, headers: { cookie } });
        assert.equal(res.status, 303);
        const page = await client.get('/password/forgot?sent=1');
        assert.match(page.text, /If an account exists for that address, we have sent it a link/);
        await s().ctx.mail.settled();
        const mail = sink.to(email).find((m) => /Reset your Tessera password/.test(m.data))!;
        const link = new URL(/(http:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]{43})/.exec(textPart(mail.data))![1]!);
        const form = await anonymousForm(client, link.pathname + link.search);
        const reset = await client.post('/password/reset', { form: { _csrf: form.csrf, token: link.searchParams.get('token')!, password: 'reset over smtp ok' }, headers: { cookie: form.cookie } });
        assert.equal(reset.status, 303);
        assert.equal((await new Client(s().url).post('/api/session', { json: { email, password: 'reset over smtp ok' } })).status, 200);
      });
    });

    describe('new sign-in notice', () => {
      it('a sign-in from a browser the account has not seen sends a notice naming it; the same browser again does not', async () => {
        const { email, device } = await signUpOverHttp();
        assert.ok(device, 'sign-up remembers its browser');
        const before = sink.to(email).length;
        const same = await new Client(s().url).post('/api/session', { json: { email, password: 'a good long passphrase' }, headers: { cookie: device } });
        assert.equal(same.status, 200);
        await s().ctx.mail.settled();
        assert.equal(sink.to(email).length, before, 'a known browser: no notice');
        const stranger = await new Client(s().url).post('/api/session', { json: { email, password: 'a good long passphrase' }, headers: { 'user-agent': FIREFOX } });
        assert.equal(stranger.status, 200);
        await s().ctx.mail.settled();
        const notices = sink.to(email).filter((m) => /New sign-in to your Tessera account/.test(m.data));
        assert.equal(notices.length, 1);
        const text = textPart(notices[0]!.data);
        assert.match(text, /Device: Firefox 128 on Windows/);
        assert.match(text, /Address: 127\.0\.0\.1/);
        const known = await s().ctx.db.selectFrom('known_devices').select('device_hash').where('user_id', '=', (await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id).execute();
        assert.equal(known.length, 2);
        assert.ok(!known.some((k) => device.includes(k.device_hash)), 'only keyed hashes of the cookies are stored');
      });
    });

    describe('GET /settings/mail-log', () => {
      it('200 for the instance owner: every account email with its status, secrets masked', async () => {
        const { email } = await signUpOverHttp();
        const page = await owner.client.get('/settings/mail-log');
        assert.equal(page.status, 200);
        assert.ok(page.text.includes(email));
        assert.match(page.text, /Confirm your email address for Tessera/);
        assert.match(page.text, /token=\[sealed\]/);
        assert.ok(!/token=[A-Za-z0-9_-]{43}/.test(page.text), 'no live token on the page');
        assert.match(page.text, /badge badge-ok">sent/);
      });

      it('404 for any other account', async () => {
        const other = await s().signUp();
        const page = await other.client.get('/settings/mail-log');
        assert.equal(page.status, 404);
      });
    });
  },
  // Sign-ups over HTTP after the owner's: TESSERA_SIGNUP=open (test/admin/signup-policy.test.ts tests invite).
  { SMTP_URL: sink.url, SMTP_FROM: 'accounts@tessera.example', TESSERA_SIGNUP: 'open' },
);
