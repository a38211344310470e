import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, describeTwoNodes, type TestServer } from '../support/harness.js';
import { enableTotp } from '../accounts/support.js';
import { sessionCsrf } from '../web/support/forms.js';
import { newOwner } from './support.js';

/**
 * Issue 18.4, "either one enforceable by the owner for every account": the owner's setting on the
 * admin page joins TESSERA_REQUIRE_2FA in secondFactorRequired(), stored in the database.
 */
const HTML = { accept: 'text/html' };

const storedSetting = (s: TestServer) => s.ctx.db.selectFrom('instance_settings').selectAll().where('name', '=', 'require_second_factor').executeTakeFirst();
const settingAudits = (s: TestServer) =>
  s.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin.setting_changed').orderBy('occurred_at').orderBy('id').execute();

/** An owner who has a second factor (so the requirement does not send them to Security). */
async function ownerWithTotp(s: TestServer) {
  const owner = await newOwner(s);
  await enableTotp(s.ctx, owner.user);
  return owner;
}

/** Whether an account without a second factor is sent to set one up: the JSON API's and the dashboard's gates. */
async function gated(seller: Awaited<ReturnType<TestServer['signUp']>>): Promise<boolean> {
  const api = await seller.client.get('/api/session');
  const page = await seller.client.get('/products', { headers: HTML });
  if (api.status === 403) {
    assert.equal(api.body.error, 'second_factor_setup_required');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/settings/security');
    return true;
  }
  assert.equal(api.status, 200, JSON.stringify(api.body));
  assert.equal(page.status, 200);
  return false;
}

describeEachDialect('Owner setting: a second factor for every account', (s) => {
  afterEach(async () => {
    await s().ctx.db.deleteFrom('instance_settings').execute();
  });

  describe('PUT /api/admin/settings', () => {
    it('200: on, an account without a second factor is sent to set one up (API 403, pages → Security) and cannot remove its last one; off, it is not; stored and audited', async () => {
      const owner = await ownerWithTotp(s());
      const seller = await s().signUp();
      const protectedSeller = await s().signUp();
      await enableTotp(s().ctx, protectedSeller.user);
      assert.equal(await gated(seller), false);

      const before = await owner.client.get('/api/admin/settings');
      assert.equal(before.status, 200);
      assert.deepEqual(before.body.settings, { require_second_factor: false });
      assert.equal(before.body.second_factor.required, false);
      assert.equal(before.body.second_factor.by_environment, false);

      const on = await owner.client.put('/api/admin/settings', { json: { require_second_factor: true } });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.deepEqual(on.body.settings, { require_second_factor: true });
      assert.equal(on.body.second_factor.required, true);
      assert.equal(on.body.second_factor.by_environment, false);
      assert.ok(on.body.second_factor.accounts_without >= 1);
      const row = await storedSetting(s());
      assert.equal(row?.value, '1');
      assert.equal(row?.updated_by, owner.user.id);

      assert.equal(await gated(seller), true);
      assert.equal((await protectedSeller.client.get('/api/session')).status, 200, 'an account with a factor goes on');
      const security = await seller.client.get('/settings/security');
      assert.equal(security.status, 200);
      assert.match(security.text, /requires a second factor for every account/);
      const { removeTotp } = await import('../../src/accounts/totp.js');
      await assert.rejects(removeTotp(s().ctx, protectedSeller.user.id, { type: 'cli', id: null, ip: null }), (err: Error & { code?: string }) => err.code === 'LAST_SECOND_FACTOR');

      // The same value again changes nothing and is not audited again.
      assert.equal((await owner.client.put('/api/admin/settings', { json: { require_second_factor: true } })).status, 200);
      const off = await owner.client.put('/api/admin/settings', { json: { require_second_factor: false } });
      assert.equal(off.status, 200);
      assert.equal(off.body.second_factor.required, false);
      assert.equal((await storedSetting(s()))?.value, '0');
      assert.equal(await gated(seller), false);

      const audits = await settingAudits(s());
      assert.deepEqual(
        audits.map((a) => [a.user_id, a.actor_id, a.target_id, JSON.parse(a.metadata!).value, JSON.parse(a.metadata!).previous]),
        [
          [owner.user.id, owner.user.id, 'require_second_factor', true, false],
          [owner.user.id, owner.user.id, 'require_second_factor', false, true],
        ],
      );
    });

    it('400: a value that is not a boolean, a missing one, or an unknown setting; nothing stored', async () => {
      const owner = await ownerWithTotp(s());
      for (const json of [{ require_second_factor: 'maybe' }, {}, { require_second_factor: true, signup: 'open' }, { require_second_factor: null }]) {
        const res = await owner.client.put('/api/admin/settings', { json });
        assert.equal(res.status, 400, JSON.stringify(json));
        assert.equal(res.body.success, false);
        assert.ok(res.body.error, JSON.stringify(res.body));
      }
      assert.equal(await storedSetting(s()), undefined);
    });

    it('404: an account that is not an owner can neither read nor change it; a logged-out client gets 401', async () => {
      await newOwner(s());
      const seller = await s().signUp();
      assert.equal((await seller.client.get('/api/admin/settings')).status, 404);
      const res = await seller.client.put('/api/admin/settings', { json: { require_second_factor: true } });
      assert.equal(res.status, 404);
      assert.equal((await s().client().put('/api/admin/settings', { json: { require_second_factor: true } })).status, 401);
      assert.equal(await storedSetting(s()), undefined);
      assert.equal(await gated(seller), false);
    });
  });

  describe('the admin page (Post/Redirect/Get, CSRF, asks first)', () => {
    it('303: turning it on asks first (naming the accounts without a factor), then holds; turning it off does not ask', async () => {
      const owner = await ownerWithTotp(s());
      const seller = await s().signUp();
      const page = await owner.client.get('/admin');
      assert.equal(page.status, 200);
      assert.match(page.text, /<h2 id="second-factor-title">Second factor<\/h2>/);
      assert.match(page.text, /Optional: each account chooses/);
      assert.match(page.text, /name="require_second_factor" value="yes"/);
      const csrf = await sessionCsrf(owner.client, '/admin');

      const unconfirmed = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'yes' } });
      assert.equal(unconfirmed.status, 303);
      assert.equal(unconfirmed.headers.get('location'), '/admin/settings/second-factor?require_second_factor=yes');
      assert.equal(await storedSetting(s()), undefined, 'nothing changes before the confirmation');
      const confirm = await owner.client.get(unconfirmed.headers.get('location')!);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Require a second factor for every account\?/);
      assert.match(confirm.text, /enabled accounts? without a second factor can use only the Security page/);

      const done = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'yes', confirmed: 'yes' } });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/admin?done=second-factor-on');
      assert.equal((await storedSetting(s()))?.value, '1');
      const shown = await owner.client.get('/admin?done=second-factor-on');
      assert.match(shown.text, /A second factor is now required for every account\./);
      assert.match(shown.text, /Required for every account \(this setting\)/);
      assert.match(shown.text, /name="require_second_factor" value="no"/);
      assert.equal(await gated(seller), true);

      const off = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'no' } });
      assert.equal(off.status, 303);
      assert.equal(off.headers.get('location'), '/admin?done=second-factor-off');
      assert.equal((await storedSetting(s()))?.value, '0');
      assert.equal(await gated(seller), false);
      assert.equal((await settingAudits(s())).length >= 2, true);
    });

    it('an owner without a second factor who turns it on is sent to set one up too', async () => {
      const owner = await newOwner(s());
      const csrf = await sessionCsrf(owner.client, '/admin');
      const confirm = await owner.client.get('/admin/settings/second-factor?require_second_factor=yes');
      assert.match(confirm.text, /\(yours among them\)/);
      const done = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'yes', confirmed: 'yes' } });
      assert.equal(done.status, 303);
      const admin = await owner.client.get('/admin', { headers: HTML });
      assert.equal(admin.status, 303);
      assert.equal(admin.headers.get('location'), '/settings/security');
    });

    it('400 for a value other than yes / no, 403 without the CSRF token; nothing stored', async () => {
      const owner = await ownerWithTotp(s());
      const csrf = await sessionCsrf(owner.client, '/admin');
      const bad = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'maybe', confirmed: 'yes' }, headers: HTML });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /require_second_factor takes yes or no/);
      const missing = await owner.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, confirmed: 'yes' }, headers: HTML });
      assert.equal(missing.status, 400);
      assert.equal((await owner.client.get('/admin/settings/second-factor?require_second_factor=maybe', { headers: HTML })).status, 400);
      const forged = await owner.client.post('/admin/settings/second-factor', { form: { require_second_factor: 'yes', confirmed: 'yes' }, headers: HTML });
      assert.equal(forged.status, 403);
      assert.equal(await storedSetting(s()), undefined);
    });

    it('404 for an account that is not an owner: the page and its POST change nothing', async () => {
      await newOwner(s());
      const seller = await s().signUp();
      const csrf = await sessionCsrf(seller.client, '/products');
      const page = await seller.client.get('/admin/settings/second-factor?require_second_factor=yes', { headers: HTML });
      assert.equal(page.status, 404);
      const res = await seller.client.post('/admin/settings/second-factor', { form: { _csrf: csrf, require_second_factor: 'yes', confirmed: 'yes' }, headers: HTML });
      assert.equal(res.status, 404);
      assert.equal(await storedSetting(s()), undefined);
      assert.equal(await gated(seller), false);
    });
  });
});

describeEachDialect(
  'Owner setting with TESSERA_REQUIRE_2FA=1: the environment is a floor',
  (s) => {
    it('the page says the environment requires it and offers no switch; turning the setting off leaves it required', async () => {
      const owner = await ownerWithTotp(s());
      const seller = await s().signUp();
      const page = await owner.client.get('/admin');
      assert.equal(page.status, 200);
      assert.match(page.text, /<code>TESSERA_REQUIRE_2FA=1<\/code> is set on this server, so this page cannot turn it off/);
      assert.doesNotMatch(page.text, /name="require_second_factor"/);

      const off = await owner.client.put('/api/admin/settings', { json: { require_second_factor: false } });
      assert.equal(off.status, 200);
      assert.deepEqual(off.body.settings, { require_second_factor: false });
      assert.equal(off.body.second_factor.required, true);
      assert.equal(off.body.second_factor.by_environment, true);
      assert.equal(await gated(seller), true);
    });
  },
  { TESSERA_REQUIRE_2FA: '1' },
);

// Two servers on one PostgreSQL database: the owner's change on A holds on B's next request (no per-process copy).
describeTwoNodes('the setting changed on one node holds on the other (two servers, one PostgreSQL)', (nodes) => {
  it("B sends an account without a factor to set one up on its next request after A turns it on, and stops after A turns it off", async () => {
    const { a, b } = nodes();
    const owner = await ownerWithTotp(a);
    const seller = await a.signUp();
    const onB = { ...seller, client: Object.assign(b.client(), { cookie: seller.client.cookie }) };
    assert.equal(await gated(onB), false);
    assert.equal((await owner.client.put('/api/admin/settings', { json: { require_second_factor: true } })).status, 200);
    assert.equal(await gated(onB), true);
    assert.equal((await owner.client.put('/api/admin/settings', { json: { require_second_factor: false } })).status, 200);
    assert.equal(await gated(onB), false);
  });
});
