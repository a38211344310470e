import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { createApp } from '../support/fixtures.js';
import { accountRow, newOwner } from '../admin/support.js';
import { assertAlreadyShown, follow, sessionCsrf } from './support/forms.js';

const HTML = { accept: 'text/html' };

describeEachDialect('Dashboard: admin pages (instance owner)', (s) => {
  describe('404 for everyone else', () => {
    it('a logged-in account that is not an owner gets the "Page not found" page, and its POSTs change nothing', async () => {
      await newOwner(s()); // the server's first account is its owner: the next ones are not
      const seller = await s().signUp();
      const target = await s().signUp();
      for (const path of ['/admin', `/admin/accounts/${target.user.id}`, `/admin/accounts/${target.user.id}/delete`]) {
        const res = await seller.client.get(path, { headers: HTML });
        assert.equal(res.status, 404, path);
        assert.match(res.text, /Page not found/);
        assert.doesNotMatch(res.text, new RegExp(target.user.email));
      }
      const csrf = await sessionCsrf(seller.client, '/');
      const email = uniqueEmail('sneaky');
      const invite = await seller.client.post('/admin/invitations', { form: { _csrf: csrf, email } });
      assert.equal(invite.status, 404);
      assert.equal(await s().ctx.db.selectFrom('account_invitations').select('id').where('email', '=', email).executeTakeFirst(), undefined);
      const disable = await seller.client.post(`/admin/accounts/${target.user.id}/disable`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(disable.status, 404);
      assert.equal((await accountRow(s(), target.user.id))?.disabled_at, null);
      assert.doesNotMatch((await seller.client.get('/')).text, /href="\/admin"/, 'no Admin link either');
    });

    it('a logged-out visitor is sent to the login page', async () => {
      const res = await s().client().get('/admin');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?next=%2Fadmin');
    });
  });

  describe('GET /admin', () => {
    it('200: lists accounts with created, last login and counts, searchable by email; owners see an Admin link', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp(uniqueEmail('findme_100%'));
      await createApp(seller.client);
      const page = await owner.client.get('/admin');
      assert.equal(page.status, 200);
      assert.match(page.text, /<a href="\/admin" aria-current="page">Admin<\/a>/);
      const found = await owner.client.get('/admin', { query: { search: 'findme_100%' } });
      const row = new RegExp(`<tr data-account="${seller.user.id}">([\\s\\S]*?)</tr>`).exec(found.text)?.[1];
      assert.ok(row, 'the account is listed');
      assert.match(row, /<td data-label="Status">active<\/td>/);
      assert.match(row, /<td data-label="Last login"><time/);
      assert.match(row, /<td data-label="Apps">1<\/td>/);
      assert.match(row, /<td data-label="API keys">0<\/td>/);
      assert.doesNotMatch(found.text, new RegExp(`data-account="${owner.user.id}"`), 'the search narrows the list');
      const none = await owner.client.get('/admin', { query: { search: 'findme_1000' } });
      assert.match(none.text, /No account matches\./, '% and _ are taken literally');
    });
  });

  describe('POST /admin/invitations', () => {
    it('303: the link is shown once after the redirect; a reload says already shown', async () => {
      const owner = await newOwner(s());
      const email = uniqueEmail('pageinvite');
      const csrf = await sessionCsrf(owner.client, '/admin');
      const page = await follow(owner.client, await owner.client.post('/admin/invitations', { form: { _csrf: csrf, email } }));
      const link = /id="invitation-link"[^>]*value="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(link?.includes('/signup?invitation=tsr_iv_'), page.text.slice(0, 500));
      assert.match(page.text, /SMTP is not configured/);
      await assertAlreadyShown(owner.client, page.location, link!);
      assert.ok(await s().ctx.db.selectFrom('account_invitations').select('id').where('email', '=', email).executeTakeFirst());
    });

    it('303 back with the reason for an email that has an account', async () => {
      const owner = await newOwner(s());
      const csrf = await sessionCsrf(owner.client, '/admin');
      const page = await follow(owner.client, await owner.client.post('/admin/invitations', { form: { _csrf: csrf, email: owner.user.email } }));
      assert.match(page.text, /already has an account on this server/);
    });
  });

  describe('/admin/accounts/:id', () => {
    it('capabilities: the form stores overrides; an empty limit is the default', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp();
      const path = `/admin/accounts/${seller.user.id}`;
      const page = await owner.client.get(path);
      assert.equal(page.status, 200);
      assert.match(page.text, /May create API keys/);
      const csrf = await sessionCsrf(owner.client, path);
      const res = await owner.client.post(`${path}/capabilities`, {
        form: { _csrf: csrf, api_keys: 'no', flows: 'default', email_step: 'default', http_step: 'yes', max_flows: '3', max_runs_per_day: '', max_api_keys: 'unlimited' },
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `${path}?done=capabilities`);
      const row = await s().ctx.db.selectFrom('account_capabilities').selectAll().where('user_id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.deepEqual(
        { api_keys: row.api_keys, flows: row.flows, http_step: row.http_step, max_flows: row.max_flows, max_runs_per_day: row.max_runs_per_day, max_api_keys: row.max_api_keys },
        { api_keys: 0, flows: null, http_step: 1, max_flows: 3, max_runs_per_day: null, max_api_keys: -1 },
      );
      const bad = await follow(owner.client, await owner.client.post(`${path}/capabilities`, { form: { _csrf: csrf, max_flows: 'lots' } }));
      assert.match(bad.text, /max_flows takes a whole number, unlimited or default, not &quot;lots&quot;\./);
    });

    it('disable asks first (naming what stops), with "also stop its licenses" carried to the confirmation; enable restores', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp();
      const path = `/admin/accounts/${seller.user.id}`;
      const csrf = await sessionCsrf(owner.client, path);
      const unconfirmed = await owner.client.post(`${path}/disable`, { form: { _csrf: csrf, stop_licenses: 'yes' } });
      assert.equal(unconfirmed.status, 303);
      assert.equal(unconfirmed.headers.get('location'), `${path}/disable?stop_licenses=yes`);
      assert.equal((await accountRow(s(), seller.user.id))?.disabled_at, null, 'nothing happens before the confirmation');
      const confirm = await owner.client.get(`${path}/disable?stop_licenses=yes`);
      assert.match(confirm.text, new RegExp(`${seller.user.email} is signed out at once`));
      assert.match(confirm.text, /Its licenses are refused too/);
      assert.match(confirm.text, /name="stop_licenses" value="yes"/);
      const done = await owner.client.post(`${path}/disable`, { form: { _csrf: csrf, stop_licenses: 'yes', confirmed: 'yes' } });
      assert.equal(done.status, 303);
      const row = await accountRow(s(), seller.user.id);
      assert.ok(row?.disabled_at && row.licenses_stopped_at);
      assert.equal((await seller.client.get('/api/session')).status, 401);
      const shown = await owner.client.get(`${path}?done=disabled`);
      assert.match(shown.text, /Its licenses are refused too\./);
      assert.equal((await owner.client.post(`${path}/enable`, { form: { _csrf: csrf } })).status, 303);
      assert.equal((await accountRow(s(), seller.user.id))?.disabled_at, null);
      assert.equal((await seller.client.get('/api/session')).status, 200);
    });

    it('delete asks first, naming what goes, and then deletes it', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp();
      await createApp(seller.client);
      const path = `/admin/accounts/${seller.user.id}`;
      const csrf = await sessionCsrf(owner.client, path);
      const unconfirmed = await owner.client.post(`${path}/delete`, { form: { _csrf: csrf } });
      assert.equal(unconfirmed.status, 303);
      assert.equal(unconfirmed.headers.get('location'), `${path}/delete`);
      const confirm = await owner.client.get(`${path}/delete`);
      assert.match(confirm.text, new RegExp(`${seller.user.email} and everything it owns will be deleted: 1 application \\(every access token on them stops working\\), 0 API keys, 0 products`));
      assert.ok(await accountRow(s(), seller.user.id));
      const done = await owner.client.post(`${path}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/admin?done=deleted');
      assert.equal(await accountRow(s(), seller.user.id), undefined);
      assert.equal((await owner.client.get(path, { headers: HTML })).status, 404);
    });
  });
});
