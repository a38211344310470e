import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp } from '../support/fixtures.js';

describeEachDialect('GET /api/applications and /api/applications/:id', (s) => {
  it('200 lists only your own applications, newest first', async () => {
    const a = await s().signUp();
    const b = await s().signUp();
    const first = await createApp(a.client, { name: 'first' });
    const second = await createApp(a.client, { name: 'second' });
    await createApp(b.client, { name: 'theirs' });
    const res = await a.client.get('/api/applications');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.applications.map((x: { id: string }) => x.id).sort(), [first.application.id, second.application.id].sort());
  });
  it("404 for another seller's application, as for a missing one", async () => {
    const a = await s().signUp();
    const b = await s().signUp();
    const { application } = await createApp(b.client);
    const foreign = await a.client.get(`/api/applications/${encodeURIComponent(application.id)}`);
    const missing = await a.client.get('/api/applications/nope');
    assert.equal(foreign.status, 404);
    assert.deepEqual(foreign.body, missing.body);
    assert.equal(foreign.body.message, "Application not found or you don't have the permissions to modify it.");
  });
});

describeEachDialect('PATCH /api/applications/:id', (s) => {
  it('200 updates name, redirect URI, scopes and token lifetime, audited', async () => {
    const { client } = await s().signUp();
    const { application } = await createApp(client);
    const path = `/api/applications/${encodeURIComponent(application.id)}`;
    const res = await client.patch(path, { json: { name: 'Renamed', redirect_uri: 'https://a.example/cb https://b.example/cb', scopes: ['view_sales'], access_token_lifetime: 3600 } });
    assert.equal(res.status, 200);
    assert.equal(res.body.application.name, 'Renamed');
    assert.deepEqual(res.body.application.scopes, ['view_sales']);
    assert.equal(res.body.application.access_token_lifetime, 3600);
    const row = await s().ctx.db.selectFrom('applications').selectAll().where('id', '=', application.id).executeTakeFirstOrThrow();
    assert.equal(row.redirect_uri, 'https://a.example/cb https://b.example/cb');
    const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', application.id).execute();
    assert.ok(audit.some((a) => a.action === 'application.updated'));
  });
  it('400 for a bad redirect URI, leaving the application unchanged', async () => {
    const { client } = await s().signUp();
    const { application } = await createApp(client);
    const res = await client.patch(`/api/applications/${encodeURIComponent(application.id)}`, { json: { redirect_uri: 'not a url' } });
    assert.equal(res.status, 400);
    const row = await s().ctx.db.selectFrom('applications').select('redirect_uri').where('id', '=', application.id).executeTakeFirstOrThrow();
    assert.equal(row.redirect_uri, 'http://127.0.0.1');
  });
  it("404 for another seller's application", async () => {
    const a = await s().signUp();
    const b = await s().signUp();
    const { application } = await createApp(b.client);
    const res = await a.client.patch(`/api/applications/${encodeURIComponent(application.id)}`, { json: { name: 'mine now' } });
    assert.equal(res.status, 404);
    const row = await s().ctx.db.selectFrom('applications').select('name').where('id', '=', application.id).executeTakeFirstOrThrow();
    assert.equal(row.name, 'My script');
  });
});

describeEachDialect('POST /api/applications/:id/secret', (s) => {
  it('200 regenerates the client secret: new hash stored, audited', async () => {
    const { client } = await s().signUp();
    const { application, client_secret } = await createApp(client);
    const res = await client.post(`/api/applications/${encodeURIComponent(application.id)}/secret`);
    assert.equal(res.status, 200);
    assert.notEqual(res.body.client_secret, client_secret);
    const row = await s().ctx.db.selectFrom('applications').select('client_secret_hash').where('id', '=', application.id).executeTakeFirstOrThrow();
    assert.equal(row.client_secret_hash, s().ctx.keys.hash(res.body.client_secret));
    const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', application.id).execute();
    assert.ok(audit.some((a) => a.action === 'application.secret_regenerated'));
  });
  it('404 for an unknown application', async () => {
    const { client } = await s().signUp();
    assert.equal((await client.post('/api/applications/unknown/secret')).status, 404);
  });
});
