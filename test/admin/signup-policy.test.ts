import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { anonymousForm } from '../web/support/forms.js';
import { listInvitations } from '../../src/admin/invitations.js';
import { accountRow, newOwner, smtpSink, tokenOf } from './support.js';

const PASSWORD = 'correct horse battery';
const DAY = 24 * 3600 * 1000;

/** Quoted-printable as nodemailer writes it, read back. */
const unQp = (text: string) => text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

// TESSERA_SIGNUP unset: open for the very first account (the owner), then by invitation. This
// describe's first test makes that first account, so it must stay first.
describeEachDialect('Sign-up policy: default (the first account is the owner, then invite)', (s) => {
  describe('POST /api/users', () => {
    it('201: the first account signs up without an invitation and is the instance owner', async () => {
      const first = await s().client().get('/signup');
      assert.match(first.text, /This is the first account on this server/);
      const email = uniqueEmail('first');
      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const row = await accountRow(s(), res.body.user.id);
      assert.equal(row?.is_owner, 1);
      const created = await s().ctx.db.selectFrom('audit_events').select('metadata').where('user_id', '=', row!.id).where('action', '=', 'user.created').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(created.metadata!), { instance_owner: true });
    });

    it('403: once an owner exists, a sign-up without an invitation is refused, and no account is made', async () => {
      const email = uniqueEmail('uninvited');
      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD } });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, {
        success: false,
        error: 'signup_invitation_required',
        message: 'Sign-up on this server is by invitation only. Ask its owner for an invitation link.',
      });
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
      const page = await s().client().get('/signup');
      assert.match(page.text, /<h1>Sign-up is by invitation<\/h1>/);
      assert.doesNotMatch(page.text, /action="\/signup"/, 'no form is offered');
    });

    it('201 through an invitation link, once: the same link again is 403', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('invited');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.mailed, false);
      assert.match(sent.body.mail_problem, /SMTP is not configured/);
      const logged = await s().ctx.db.selectFrom('mail_log').select(['status', 'body_masked']).where('to_address', '=', email).executeTakeFirstOrThrow();
      assert.equal(logged.status, 'logged', 'without SMTP the invitation waits in the mail log');
      assert.equal(sent.body.invitation.status, 'pending');
      const invitation = tokenOf(sent.body.link);
      assert.match(invitation, /^tsr_iv_/);
      const stored = await s().ctx.db.selectFrom('account_invitations').selectAll().where('id', '=', sent.body.invitation.id).executeTakeFirstOrThrow();
      assert.notEqual(stored.token_hash, invitation, 'only the HMAC is stored');

      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD, invitation } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const used = await s().ctx.db.selectFrom('account_invitations').selectAll().where('id', '=', stored.id).executeTakeFirstOrThrow();
      assert.equal(used.used_by, res.body.user.id);
      assert.equal((await accountRow(s(), res.body.user.id))?.is_owner, 0);

      const again = await s().client().post('/api/users', { json: { email: uniqueEmail('again'), password: PASSWORD, invitation } });
      assert.equal(again.status, 403);
      assert.equal(again.body.error, 'invitation_invalid');
      assert.match(again.body.message, /already used, cancelled, or it expired/);
    });

    it('403: an invitation is for its email only; the link stays usable by its invitee', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('named');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      const invitation = tokenOf(sent.body.link);
      const other = uniqueEmail('other');
      const res = await s().client().post('/api/users', { json: { email: other, password: PASSWORD, invitation } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'invitation_email_mismatch');
      assert.equal(res.body.message, `This invitation is for ${email}. Sign up with the address it was sent to.`);
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', other).executeTakeFirst(), undefined);
      assert.equal((await s().client().post('/api/users', { json: { email, password: PASSWORD, invitation } })).status, 201);
    });

    it('403: an invitation expires (TESSERA_INVITATION_TTL, default 7 days, on the injected clock)', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('late');
      const start = Date.now();
      s().ctx.clock = () => start;
      try {
        const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
        assert.equal(new Date(sent.body.invitation.expires_at).getTime(), start + 7 * DAY);
        const invitation = tokenOf(sent.body.link);
        s().ctx.clock = () => start + 7 * DAY - 1;
        const page = await s().client().get(`/signup?invitation=${invitation}`);
        assert.match(page.text, new RegExp(`Invitation for <strong>${email}</strong>`));
        s().ctx.clock = () => start + 7 * DAY;
        const res = await s().client().post('/api/users', { json: { email, password: PASSWORD, invitation } });
        assert.equal(res.status, 403);
        assert.equal(res.body.error, 'invitation_invalid');
        const expiredPage = await s().client().get(`/signup?invitation=${invitation}`);
        assert.match(expiredPage.text, /This invitation link is not valid any more/);
        // (Read through the service: seven idle days also ended the owner's session.)
        const list = await listInvitations(s().ctx);
        assert.equal(list.find((i) => i.id === sent.body.invitation.id)?.status, 'expired');
      } finally {
        s().ctx.clock = Date.now;
      }
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });

    it('403: a cancelled invitation no longer works', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('cancelled');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      const cancelled = await owner.client.delete(`/api/admin/invitations/${sent.body.invitation.id}`);
      assert.equal(cancelled.status, 200);
      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD, invitation: tokenOf(sent.body.link) } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'invitation_invalid');
      assert.equal((await owner.client.delete(`/api/admin/invitations/${sent.body.invitation.id}`)).status, 404);
    });

    it('two sign-ups through one link at once: one account, one refusal', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('race');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      const invitation = tokenOf(sent.body.link);
      const results = await Promise.all([0, 1].map(() => s().client().post('/api/users', { json: { email, password: PASSWORD, invitation } })));
      const winner = results.find((r) => r.status === 201);
      const loser = results.find((r) => r !== winner);
      assert.ok(winner, JSON.stringify(results.map((r) => r.body)));
      // The loser finds the link used (403) or, having passed that check first, the email taken (409).
      assert.ok(loser && [403, 409].includes(loser.status), JSON.stringify(loser?.body));
      const users = await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).execute();
      assert.deepEqual(users.map((u) => u.id), [winner.body.user.id]);
      const used = await s().ctx.db.selectFrom('account_invitations').select('used_by').where('id', '=', sent.body.invitation.id).executeTakeFirstOrThrow();
      assert.equal(used.used_by, winner.body.user.id);
    });
  });

  describe('POST /api/admin/invitations', () => {
    it('201: with SMTP_URL set, the link is emailed to the invitee, and shown to the owner too', async () => {
      const sink = await smtpSink();
      const saved = s().ctx.config.flows.smtpUrl;
      s().ctx.config.flows.smtpUrl = sink.url;
      try {
        const owner = await newOwner(s());
        const email = uniqueEmail('mailed');
        const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        assert.equal(sent.body.mailed, true);
        assert.equal(sent.body.mail_problem, null);
        await s().ctx.mail.settled(); // sent off the request, in the background
        assert.equal(sink.messages.length, 1);
        assert.equal(sink.messages[0]!.to, email);
        const text = unQp(sink.messages[0]!.data);
        assert.match(text, /Subject: Your invitation to Tessera/);
        assert.ok(text.includes(sent.body.link), 'the email carries the link');
        assert.ok(text.includes(`${owner.user.email} invited you`));
        const logged = await s().ctx.db.selectFrom('mail_log').selectAll().where('kind', '=', 'account_invitation').where('to_address', '=', email).executeTakeFirstOrThrow();
        assert.equal(logged.status, 'sent');
        assert.ok(!logged.body_masked.includes(tokenOf(sent.body.link)), 'the mail log masks the link');
      } finally {
        s().ctx.config.flows.smtpUrl = saved;
        await sink.close();
      }
    });

    it('400 for a bad email, 409 for an email that has an account', async () => {
      const owner = await newOwner(s());
      const bad = await owner.client.post('/api/admin/invitations', { json: { email: 'nope' } });
      assert.equal(bad.status, 400);
      const taken = await owner.client.post('/api/admin/invitations', { json: { email: owner.user.email } });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error, 'email_taken');
      assert.equal(await s().ctx.db.selectFrom('account_invitations').select('id').where('email', '=', owner.user.email).executeTakeFirst(), undefined);
    });

    it('404 for an account that is not an owner', async () => {
      await newOwner(s()); // the server's first account is its owner: the next ones are not
      const seller = await s().signUp();
      const res = await seller.client.post('/api/admin/invitations', { json: { email: uniqueEmail() } });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { success: false, error: 'not_found', message: 'Not found.' });
    });
  });

  describe('POST /signup (dashboard)', () => {
    it('303: the invitation link opens a form for its email, and signing up logs in', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('webinvite');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      const invitation = tokenOf(sent.body.link);
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, `/signup?invitation=${invitation}`);
      const page = await client.get(`/signup?invitation=${invitation}`);
      assert.match(page.text, new RegExp(`name="email" type="email" value="${email}"`));
      assert.match(page.text, /name="invitation" value="tsr_iv_/);
      const res = await client.post('/signup', { form: { _csrf: csrf, email, password: PASSWORD, invitation, next: '/' }, headers: { cookie } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/');
      assert.ok(client.cookie?.startsWith('tessera_session='));
      assert.ok(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
    });

    it('403: without an invitation the form is refused with the reason', async () => {
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const email = uniqueEmail('webnone');
      const res = await client.post('/signup', { form: { _csrf: csrf, email, password: PASSWORD, next: '/' }, headers: { cookie } });
      assert.equal(res.status, 403);
      assert.match(res.text, /Sign-up on this server is by invitation only/);
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });
  });
});

describeEachDialect(
  'Sign-up policy: TESSERA_SIGNUP=open',
  (s) => {
    it('201: anyone signs up, the first account only is the owner', async () => {
      const a = await s().client().post('/api/users', { json: { email: uniqueEmail('open'), password: PASSWORD } });
      const b = await s().client().post('/api/users', { json: { email: uniqueEmail('open'), password: PASSWORD } });
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal((await accountRow(s(), a.body.user.id))?.is_owner, 1);
      assert.equal((await accountRow(s(), b.body.user.id))?.is_owner, 0);
      assert.match((await s().client().get('/signup')).text, /<h1>Create your account<\/h1>/);
    });
  },
  { TESSERA_SIGNUP: 'open' },
);

describeEachDialect(
  'Sign-up policy: TESSERA_SIGNUP=closed',
  (s) => {
    it('403: nobody signs up, not even the first account; the page says so and offers no form', async () => {
      const email = uniqueEmail('closed');
      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD } });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { success: false, error: 'signup_closed', message: 'Sign-up is closed on this server. Ask its owner to create an account for you.' });
      const page = await s().client().get('/signup');
      assert.match(page.text, /<h1>Sign-up is closed<\/h1>/);
      assert.doesNotMatch(page.text, /action="\/signup"/);
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const form = await client.post('/signup', { form: { _csrf: csrf, email, password: PASSWORD, next: '/' }, headers: { cookie } });
      assert.equal(form.status, 403);
      assert.match(form.text, /Sign-up is closed on this server/);
      assert.equal(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });

    it('403: an owner invitation does not open a closed server', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('closedinvite');
      const sent = await owner.client.post('/api/admin/invitations', { json: { email } });
      assert.equal(sent.status, 201);
      const res = await s().client().post('/api/users', { json: { email, password: PASSWORD, invitation: tokenOf(sent.body.link) } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'signup_closed');
    });
  },
  { TESSERA_SIGNUP: 'closed' },
);
