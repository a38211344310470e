import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp } from '../support/fixtures.js';
import { sessionCsrf } from './support/forms.js';
import { authorizeApplication } from './support/oauth-grant.js';

const PATH = '/settings/authorized-applications';

describeEachDialect('Dashboard: Authorized applications', (s) => {
  async function toolAuthorizedBySeller() {
    const developer = await s().signUp();
    const { application } = await createApp(developer.client, { name: 'CRM sync' });
    const seller = await s().signUp();
    const token = await authorizeApplication(s(), application.client_id, seller.user.id);
    return { developer, application, seller, token };
  }

  describe(`GET ${PATH}`, () => {
    it('200: lists the third-party application with its owner and scopes in plain words', async () => {
      const { developer, seller } = await toolAuthorizedBySeller();
      const res = await seller.client.get(PATH);
      assert.equal(res.status, 200);
      assert.match(res.text, /<h2>.*CRM sync<\/h2>/);
      assert.ok(res.text.includes(developer.user.email));
      assert.match(res.text, /See your sales and subscribers/);
      assert.match(res.text, /Revoke access/);
    });

    it('200: an account that authorized nothing sees an empty list', async () => {
      const { client } = await s().signUp();
      const res = await client.get(PATH);
      assert.match(res.text, /No application holds access to your account\./);
    });
  });

  describe(`POST ${PATH}/:applicationId/revoke`, () => {
    it("303: revokes the application's tokens at once and says how many", async () => {
      const { application, seller, token } = await toolAuthorizedBySeller();
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
      const csrf = await sessionCsrf(seller.client, PATH);
      const ask = await seller.client.post(`${PATH}/${encodeURIComponent(application.id)}/revoke`, { form: { _csrf: csrf } });
      const confirmation = await seller.client.get(ask.headers.get('location')!);
      assert.match(confirmation.text, /will stop working at once; it must ask for your consent again/);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200, 'nothing is revoked before the confirmation');
      const res = await seller.client.post(`${PATH}/${encodeURIComponent(application.id)}/revoke`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(res.status, 303);
      assert.match(res.headers.get('location')!, /^\/settings\/authorized-applications\?revoked=\d+$/);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 401);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).where('action', '=', 'oauth.grant_revoked').execute();
      assert.equal(audit.length, 1);
      const after = await seller.client.get(res.headers.get('location')!);
      assert.match(after.text, /Access revoked: \d+ tokens? no longer works?\./);
      assert.match(after.text, /No application holds access to your account\./);
    });

    it('403: without the CSRF token the access stays', async () => {
      const { application, seller, token } = await toolAuthorizedBySeller();
      const res = await seller.client.post(`${PATH}/${encodeURIComponent(application.id)}/revoke`, { form: {} });
      assert.equal(res.status, 403);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
    });

    it("404: an application the account never authorized cannot be revoked, even the developer's own", async () => {
      const { developer, application, token } = await toolAuthorizedBySeller();
      const csrf = await sessionCsrf(developer.client, PATH);
      const res = await developer.client.post(`${PATH}/${encodeURIComponent(application.id)}/revoke`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(res.status, 404);
      assert.match(res.text, /Authorized application could not be found\./);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
    });
  });
});
