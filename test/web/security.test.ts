import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { follow, sessionCsrf } from './support/forms.js';
import { auditOf, enableTotp, totpClock } from '../accounts/support.js';
import { createKey } from '../flows/support/fixtures.js';

/** The dashboard's Security pages (issue 18.4): set-up, removal after asking and a fresh factor, recovery codes, step-up. */
describeEachDialect('Dashboard: /settings/security', (s) => {
  const clock = totpClock(s);
  const { nextCode } = clock;

  describe('GET /settings/security', () => {
    it('200: password, authenticator app, passkeys and email, with the passkey scripts', async () => {
      const seller = await s().signUp();
      const page = await seller.client.get('/settings/security');
      assert.equal(page.status, 200);
      assert.match(page.text, /Set up an authenticator app/);
      assert.match(page.text, /data-passkey-form="register"/);
      assert.match(page.text, /<script src="\/static\/simplewebauthn-browser.js"/);
      assert.match(page.text, /form method="post" action="\/settings\/security\/password"/);
      const bundle = await s().client().get('/static/simplewebauthn-browser.js');
      assert.equal(bundle.status, 200);
      assert.match(bundle.text, /SimpleWebAuthnBrowser/);
    });

    it('303: logged out, to the login page', async () => {
      const res = await s().client().get('/settings/security');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?next=%2Fsettings%2Fsecurity');
    });
  });

  describe('authenticator app set-up', () => {
    it('303 → the set-up page (QR code as an SVG image, the key); a right code turns it on and shows ten recovery codes once', async () => {
      const seller = await s().signUp();
      const csrf = await sessionCsrf(seller.client, '/settings/security');
      const start = await seller.client.post('/settings/security/totp', { form: { _csrf: csrf } });
      assert.equal(start.status, 303);
      assert.equal(start.headers.get('location'), '/settings/security/totp');
      const setup = await seller.client.get('/settings/security/totp');
      assert.equal(setup.status, 200);
      assert.match(setup.text, /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
      const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, '');
      const stored = await s().ctx.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.ok(!stored.secret_ciphertext.includes(secret), 'the key is stored encrypted');
      assert.equal(stored.confirmed_at, null);

      const wrong = await follow(seller.client, await seller.client.post('/settings/security/totp/confirm', { form: { _csrf: csrf, code: '12345' } }));
      assert.match(wrong.text, /That code is not right/);

      const ok = await seller.client.post('/settings/security/totp/confirm', { form: { _csrf: csrf, code: nextCode(secret) } });
      const codesPage = await follow(seller.client, ok);
      assert.match(ok.headers.get('location')!, /^\/settings\/security\/recovery-codes\?flash=/);
      const codes = /<code>([a-z0-9\-\n]+)<\/code>/.exec(codesPage.text)![1]!.split('\n');
      assert.equal(codes.length, 10);
      assert.ok(codes.every((c) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c)));
      const again = await seller.client.get(ok.headers.get('location')!);
      assert.match(again.text, /Already shown/);
      assert.ok(!again.text.includes(codes[0]!));
      const rows = await s().ctx.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', seller.user.id).execute();
      assert.equal(rows.length, 10);
      assert.ok(!rows.some((r) => codes.includes(r.code_hash)), 'stored hashed');
      assert.equal((await auditOf(s().ctx, seller.user.id, 'totp.enabled')).length, 1);
      const user = await s().ctx.db.selectFrom('users').select('second_factor_since').where('id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.ok(user.second_factor_since);
    });

    it('303 → Security: the set-up page without a set-up waiting', async () => {
      const seller = await s().signUp();
      const res = await seller.client.get('/settings/security/totp');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/settings/security');
    });
  });

  describe('removing the authenticator app: asks first, then a fresh second factor', () => {
    it('303 → confirmation, → step-up page when stale, → removed after the step-up', async () => {
      const seller = await s().signUp();
      const { secret } = await enableTotp(s().ctx, seller.user);
      const csrf = await sessionCsrf(seller.client, '/settings/security');
      const asked = await seller.client.post('/settings/security/totp/remove', { form: { _csrf: csrf } });
      assert.equal(asked.status, 303);
      assert.equal(asked.headers.get('location'), '/settings/security/totp/remove');
      assert.match((await seller.client.get('/settings/security/totp/remove')).text, /Remove the authenticator app\?/);
      const stale = await seller.client.post('/settings/security/totp/remove', { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(stale.status, 303);
      assert.equal(stale.headers.get('location'), '/settings/security/confirm?next=%2Fsettings%2Fsecurity%2Ftotp%2Fremove');
      assert.ok(await s().ctx.db.selectFrom('totp_credentials').select('user_id').where('user_id', '=', seller.user.id).executeTakeFirst(), 'still there');

      const stepUp = await seller.client.get(stale.headers.get('location')!);
      assert.equal(stepUp.status, 200);
      assert.match(stepUp.text, /Confirm it is you/);
      const wrong = await follow(seller.client, await seller.client.post('/settings/security/confirm', { form: { _csrf: csrf, next: '/settings/security/totp/remove', code: '99999' } }));
      assert.match(wrong.text, /That code is not right/);
      const confirmed = await seller.client.post('/settings/security/confirm', { form: { _csrf: csrf, next: '/settings/security/totp/remove', code: nextCode(secret) } });
      assert.equal(confirmed.status, 303);
      assert.equal(confirmed.headers.get('location'), '/settings/security/totp/remove');
      const removed = await follow(seller.client, await seller.client.post('/settings/security/totp/remove', { form: { _csrf: csrf, confirmed: 'yes' } }));
      assert.match(removed.text, /Authenticator app removed\./);
      assert.equal(await s().ctx.db.selectFrom('totp_credentials').select('user_id').where('user_id', '=', seller.user.id).executeTakeFirst(), undefined);
      assert.equal((await s().ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', seller.user.id).execute()).length, 0, 'no factor left: no recovery codes');
      const user = await s().ctx.db.selectFrom('users').select('second_factor_since').where('id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.equal(user.second_factor_since, null);
    });

    it('404: removing a passkey of another account (or none)', async () => {
      const seller = await s().signUp();
      const res = await seller.client.get('/settings/security/passkeys/nope/remove');
      assert.equal(res.status, 404);
    });
  });

  describe('sensitive dashboard actions', () => {
    it('303 → step-up: revealing an API key on the page with a stale second factor; the key is revealed after it', async () => {
      const seller = await s().signUp();
      const { secret } = await enableTotp(s().ctx, seller.user);
      assert.equal((await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } })).status, 200);
      const { key, api_key } = await createKey(seller.client);
      // The seed session never proved the factor it has now.
      const csrf = await sessionCsrf(seller.client, '/api-keys');
      const res = await seller.client.post(`/api-keys/${key.id}/reveal`, { form: { _csrf: csrf, password: seller.password } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/settings/security/confirm?next=%2Fapi-keys');
      await seller.client.post('/settings/security/confirm', { form: { _csrf: csrf, next: '/api-keys', code: nextCode(secret) } });
      const page = await follow(seller.client, await seller.client.post(`/api-keys/${key.id}/reveal`, { form: { _csrf: csrf, password: seller.password } }));
      assert.ok(page.text.includes(api_key), 'revealed after the step-up');
    });
  });
});
