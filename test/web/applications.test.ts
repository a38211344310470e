import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { PNG_1X1, createApp, generateToken } from '../support/fixtures.js';
import { assertAlreadyShown, follow, multipart, sessionCsrf, urlencoded } from './support/forms.js';

const BASE = '/settings/advanced/applications';
const pathOf = (id: string, rest = '') => `${BASE}/${encodeURIComponent(id)}${rest}`;

describeEachDialect('Dashboard: Settings → Advanced → Applications', (s) => {
  const appRow = (id: string) => s().ctx.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  const auditOf = (userId: string, action: string) =>
    s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();

  describe(`POST ${BASE}`, () => {
    it('303: creates the application with its icon and shows the client secret once; a reload says already shown', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/settings/advanced');
      const body = await multipart([
        ['_csrf', csrf],
        ['name', 'Zapier bridge'],
        ['redirect_uri', 'http://127.0.0.1'],
        ['icon', new Blob([PNG_1X1], { type: 'image/png' }), 'icon.png'],
      ]);
      const res = await follow(client, await client.post(BASE, { raw: body }));
      const secret = /id="client-secret"[^>]*value="(tsr_cs_[^"]+)"/.exec(res.text)?.[1];
      assert.ok(secret, 'the client secret is on the page');
      assert.match(res.text, /shown only this once/);
      const row = await s().ctx.db.selectFrom('applications').selectAll().where('owner_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(row.name, 'Zapier bridge');
      assert.equal(row.icon_type, 'image/png');
      assert.equal(row.client_secret_hash, s().ctx.keys.hash(secret));
      assert.equal((await auditOf(user.id, 'application.created')).length, 1);
      await assertAlreadyShown(client, res.location, secret);
      const again = await client.get(pathOf(row.id));
      assert.ok(!again.text.includes(secret), 'the secret is not shown a second time');
      assert.equal((await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).execute()).length, 1, 'a reload creates no duplicate');
    });

    it('303: a missing redirect URI is explained on the form and nothing is stored', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/settings/advanced');
      const res = await follow(client, await client.post(BASE, { raw: await multipart([['_csrf', csrf], ['name', 'No redirect'], ['redirect_uri', '']]) }));
      assert.match(res.text, /role="alert">The 'redirect_uri' must be an absolute URL, such as http:\/\/127\.0\.0\.1\./);
      assert.match(res.text, /value="No redirect"/);
      assert.equal(await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).executeTakeFirst(), undefined);
    });

    it('303: an icon that is not a PNG or JPEG is refused', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/settings/advanced');
      const res = await follow(client, await client.post(BASE, {
        raw: await multipart([['_csrf', csrf], ['name', 'x'], ['redirect_uri', 'http://127.0.0.1'], ['icon', new Blob(['GIF89a...']), 'a.gif']]),
      }));
      assert.match(res.text, /Invalid image type for icon/);
      assert.equal(await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).executeTakeFirst(), undefined);
    });

    it('403: a form post without the CSRF token is refused and nothing is stored', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post(BASE, { raw: await multipart([['name', 'Forged'], ['redirect_uri', 'http://127.0.0.1']]) });
      assert.equal(res.status, 403);
      assert.match(res.headers.get('content-type')!, /text\/html/);
      assert.equal(await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).executeTakeFirst(), undefined);
    });

    it('403: the CSRF token of another session is refused', async () => {
      const victim = await s().signUp();
      const attacker = await s().signUp();
      const csrf = await sessionCsrf(attacker.client);
      const res = await victim.client.post(BASE, { form: { _csrf: csrf, name: 'Forged', redirect_uri: 'http://127.0.0.1' } });
      assert.equal(res.status, 403);
      assert.equal(await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', victim.user.id).executeTakeFirst(), undefined);
    });

    it('303: a logged-out post goes to the login page and stores nothing', async () => {
      const res = await s().client().post(BASE, { form: { name: 'x', redirect_uri: 'http://127.0.0.1' } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login');
    });
  });

  describe(`GET ${BASE}/:id`, () => {
    it("404: another seller's application reads as missing", async () => {
      const owner = await s().signUp();
      const { application } = await createApp(owner.client);
      const other = await s().signUp();
      const res = await other.client.get(pathOf(application.id));
      assert.equal(res.status, 404);
      assert.match(res.text, /Application not found/);
      const csrf = await sessionCsrf(other.client);
      const del = await other.client.post(pathOf(application.id, '/delete'), { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(del.status, 404);
      assert.equal((await appRow(application.id))!.deleted_at, null);
    });
  });

  describe(`POST ${BASE}/:id/token`, () => {
    it('303: asks first when a token exists, then shows the new one once with the chosen scopes and expiry; the previous one dies', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client);
      const previous = await generateToken(client, application.id);
      const csrf = await sessionCsrf(client, pathOf(application.id));
      const ask = await follow(client, await client.post(pathOf(application.id, '/token'), {
        raw: urlencoded([['_csrf', csrf], ['scopes', 'view_sales'], ['scopes', 'view_profile'], ['expires_in', '3600']]),
      }));
      assert.match(ask.text, /Your current access token \(tsr_at_[^)]*\) will stop working at once/);
      assert.match(ask.text, /name="scopes" value="view_profile"/);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: previous } })).status, 200, 'nothing changes before the confirmation');
      const res = await follow(client, await client.post(pathOf(application.id, '/token'), {
        raw: urlencoded([['_csrf', csrf], ['scopes', 'view_sales'], ['scopes', 'view_profile'], ['expires_in', '3600'], ['confirmed', 'yes']]),
      }));
      const token = /id="access-token"[^>]*value="(tsr_at_[^"]+)"/.exec(res.text)?.[1];
      assert.ok(token);
      assert.ok(res.text.includes(`/v2/products&quot; -H &quot;Authorization: Bearer ${token}&quot;`), 'the curl line carries the token');
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('token_hash', '=', s().ctx.keys.hash(token)).executeTakeFirstOrThrow();
      assert.equal(row.user_id, user.id);
      assert.equal(row.scopes, 'view_sales view_profile');
      assert.ok(Math.abs(row.expires_at! - (Date.now() + 3600_000)) < 60_000);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: previous } })).status, 401);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
      await assertAlreadyShown(client, res.location, token);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200, 'a reload generates nothing');
    });

    it('303: no scope or an expiry off the list is explained, and the current token keeps working', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const current = await generateToken(client, application.id);
      const csrf = await sessionCsrf(client, pathOf(application.id));
      const none = await follow(client, await client.post(pathOf(application.id, '/token'), { raw: urlencoded([['_csrf', csrf], ['expires_in', ''], ['confirmed', 'yes']]) }));
      assert.match(none.text, /Choose at least one scope\./);
      const odd = await follow(client, await client.post(pathOf(application.id, '/token'), { raw: urlencoded([['_csrf', csrf], ['scopes', 'view_sales'], ['expires_in', '5'], ['confirmed', 'yes']]) }));
      assert.match(odd.text, /Choose a duration from the list\./);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: current } })).status, 200);
    });
  });

  describe(`POST ${BASE}/:id (edit) and /secret`, () => {
    it('303: saves name, redirect URI, scopes and lifetime from the multipart form', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client);
      const csrf = await sessionCsrf(client, pathOf(application.id));
      const res = await client.post(pathOf(application.id), {
        raw: await multipart([
          ['_csrf', csrf],
          ['name', 'Renamed'],
          ['redirect_uri', 'https://tool.example/callback http://127.0.0.1'],
          ['scopes', 'view_sales'],
          ['scopes', 'edit_products'],
          ['access_token_lifetime', '86400'],
        ]),
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `${pathOf(application.id)}?saved=1`);
      const row = (await appRow(application.id))!;
      assert.equal(row.name, 'Renamed');
      assert.equal(row.redirect_uri, 'https://tool.example/callback http://127.0.0.1');
      assert.equal(row.scopes, 'view_sales edit_products');
      assert.equal(row.access_token_lifetime, 86400);
      assert.equal((await auditOf(user.id, 'application.updated')).length, 1);
      assert.match((await client.get(res.headers.get('location')!)).text, /Changes saved\./);
    });

    it('303: regenerating the client secret asks first, then shows the new one once and stores its hash', async () => {
      const { client } = await s().signUp();
      const { application, client_secret: old } = await createApp(client);
      const csrf = await sessionCsrf(client, pathOf(application.id));
      const ask = await follow(client, await client.post(pathOf(application.id, '/secret'), { form: { _csrf: csrf } }));
      assert.match(ask.text, /The current client secret of My script stops working at once/);
      assert.equal((await appRow(application.id))!.client_secret_hash, s().ctx.keys.hash(old));
      const res = await follow(client, await client.post(pathOf(application.id, '/secret'), { form: { _csrf: csrf, confirmed: 'yes' } }));
      const secret = /id="client-secret"[^>]*value="(tsr_cs_[^"]+)"/.exec(res.text)?.[1];
      assert.ok(secret && secret !== old);
      assert.equal((await appRow(application.id))!.client_secret_hash, s().ctx.keys.hash(secret));
      await assertAlreadyShown(client, res.location, secret);
    });
  });

  describe(`GET and POST ${BASE}/:id/delete`, () => {
    it('the confirmation says how many tokens die; deleting revokes them', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client);
      const token = await generateToken(client, application.id);
      const confirm = await client.get(pathOf(application.id, '/delete'));
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /1 live access token will stop working at once\./);
      const unconfirmed = await client.post(pathOf(application.id, '/delete'), { form: { _csrf: await sessionCsrf(client) } });
      assert.equal(unconfirmed.headers.get('location'), pathOf(application.id, '/delete'));
      assert.equal((await appRow(application.id))!.deleted_at, null);
      const res = await client.post(pathOf(application.id, '/delete'), { form: { _csrf: await sessionCsrf(client), confirmed: 'yes' } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/settings/advanced?deleted=1');
      assert.notEqual((await appRow(application.id))!.deleted_at, null);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 401);
      assert.equal((await auditOf(user.id, 'application.deleted')).length, 1);
      assert.match((await client.get('/settings/advanced?deleted=1')).text, /Application deleted\. 1 access token revoked\./);
    });

    it('403: a delete without the CSRF token leaves the application and its tokens alone', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const token = await generateToken(client, application.id);
      const res = await client.post(pathOf(application.id, '/delete'), { form: {} });
      assert.equal(res.status, 403);
      assert.equal((await appRow(application.id))!.deleted_at, null);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
    });
  });
});
