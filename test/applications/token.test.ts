import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

describeEachDialect('POST /api/applications/:id/token', (s) => {
  describe('201', () => {
    it('returns a token once with the public scopes; it works and only its hash is stored', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client);
      const res = await client.post(`/api/applications/${encodeURIComponent(application.id)}/token`);
      assert.equal(res.status, 201);
      assert.match(res.body.access_token, /^tsr_at_[0-9A-Za-z]{49}$/);
      assert.deepEqual(res.body.token.scopes, ['view_profile', 'edit_products', 'view_sales', 'mark_sales_as_shipped', 'refund_sales', 'edit_sales']);
      assert.equal(res.body.token.expires_at, null);
      const row = await s().ctx.db.selectFrom('access_tokens').selectAll().where('id', '=', res.body.token.id).executeTakeFirstOrThrow();
      assert.equal(row.token_hash, s().ctx.keys.hash(res.body.access_token));
      assert.equal(row.user_id, user.id);
      assert.equal(row.kind, 'owner');
      const me = await s().client().get('/v2/user', { query: { access_token: res.body.access_token } });
      assert.equal(me.status, 200);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'token.generated').where('user_id', '=', user.id).execute();
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes(res.body.access_token));
    });

    it('invalidates the previous token at once', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const first = await generateToken(client, application.id);
      const second = await generateToken(client, application.id);
      const old = await s().client().get('/v2/user', { query: { access_token: first } });
      assert.equal(old.status, 401);
      assert.equal(old.body.message, 'The access token was revoked');
      assert.equal((await s().client().get('/v2/user', { headers: { authorization: `Bearer ${second}` } })).status, 200);
    });

    it('narrows scopes and sets an expiry when asked', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const res = await client.post(`/api/applications/${encodeURIComponent(application.id)}/token`, { json: { scopes: 'view_sales', expires_in: 3600 } });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.token.scopes, ['view_sales']);
      const expires = Date.parse(res.body.token.expires_at);
      assert.ok(Math.abs(expires - (Date.now() + 3600_000)) < 60_000);
    });

    it('100 parallel generations leave exactly one valid owner token', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client);
      const results = await Promise.all(
        Array.from({ length: 100 }, () => client.post(`/api/applications/${encodeURIComponent(application.id)}/token`, { json: {} })),
      );
      assert.ok(results.every((r) => r.status === 201), JSON.stringify(results.find((r) => r.status !== 201)?.body));
      const live = await s().ctx.db
        .selectFrom('access_tokens')
        .select('token_hash')
        .where('application_id', '=', application.id)
        .where('user_id', '=', user.id)
        .where('revoked_at', 'is', null)
        .execute();
      assert.equal(live.length, 1);
      const working = [];
      for (const r of results) {
        const me = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${r.body.access_token}` } });
        if (me.status === 200) working.push(r.body.access_token);
        else assert.equal(me.status, 401);
      }
      assert.equal(working.length, 1);
      assert.equal(s().ctx.keys.hash(working[0]), live[0]!.token_hash);
    });
  });

  describe('400', () => {
    it('refuses unknown scopes and a silly expiry, keeping the current token', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const token = await generateToken(client, application.id);
      const path = `/api/applications/${encodeURIComponent(application.id)}/token`;
      const bad = await client.post(path, { json: { scopes: 'everything' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /everything/);
      const short = await client.post(path, { json: { expires_in: 5 } });
      assert.equal(short.status, 400);
      const str = await client.post(path, { json: { expires_in: 'soon' } });
      assert.equal(str.status, 400);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
    });
  });

  describe('401', () => {
    it('needs a session', async () => {
      assert.equal((await s().client().post('/api/applications/x/token')).status, 401);
    });
  });

  describe('404', () => {
    it("refuses another seller's application without telling it exists", async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      const { application } = await createApp(b.client);
      const res = await a.client.post(`/api/applications/${encodeURIComponent(application.id)}/token`);
      assert.equal(res.status, 404);
      const count = await s().ctx.db.selectFrom('access_tokens').select('id').where('application_id', '=', application.id).execute();
      assert.equal(count.length, 0);
    });
  });
});
