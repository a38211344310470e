import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

describeEachDialect('GET /api/audit', (s) => {
  describe('200', () => {
    it('lists every credential event of the account, newest first, with actor, target, time and IP, and no secret', async () => {
      await s().signUp(); // the instance owner (its own admin.owner_granted event): this seller is an ordinary account
      const { client, user, password } = await s().signUp();
      const { application, client_secret } = await createApp(client);
      const path = `/api/applications/${encodeURIComponent(application.id)}`;
      const token = await generateToken(client, application.id);
      await client.patch(path, { json: { name: 'renamed' } });
      const secret = (await client.post(`${path}/secret`)).body.client_secret;
      await s().client().post('/api/session', { json: { email: user.email, password: 'wrong password!' } });
      await s().client().post('/api/session', { json: { email: user.email, password } });
      await client.delete(path);
      const res = await client.get('/api/audit');
      assert.equal(res.status, 200);
      const actions = res.body.events.map((e: { action: string }) => e.action);
      assert.deepEqual(actions, [
        'application.deleted',
        'session.created',
        'login.failed',
        'application.secret_regenerated',
        'application.updated',
        'token.generated',
        'application.created',
        'session.created',
        'user.created',
      ]);
      const created = res.body.events.find((e: { action: string }) => e.action === 'application.created');
      assert.deepEqual(created.actor, { type: 'user', id: user.id });
      assert.deepEqual(created.target, { type: 'application', id: application.id });
      assert.equal(created.ip, '127.0.0.1');
      const text = JSON.stringify(res.body);
      for (const secretValue of [token, client_secret, secret, password]) assert.ok(!text.includes(secretValue));
    });

    it('filters by action prefix and by target', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      await generateToken(client, application.id);
      const apps = await client.get('/api/audit', { query: { action: 'application.' } });
      assert.deepEqual(apps.body.events.map((e: { action: string }) => e.action), ['application.created']);
      const byTarget = await client.get('/api/audit', { query: { target_id: application.id } });
      assert.equal(byTarget.body.events.length, 1);
      const limited = await client.get('/api/audit', { query: { limit: '1' } });
      assert.equal(limited.body.events.length, 1);
    });

    it("never shows another account's events", async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      await createApp(b.client);
      const res = await a.client.get('/api/audit');
      assert.ok(res.body.events.every((e: { action: string }) => !e.action.startsWith('application.')));
    });
  });
  describe('400', () => {
    it('refuses a bad limit or date', async () => {
      const { client } = await s().signUp();
      assert.equal((await client.get('/api/audit', { query: { limit: '0' } })).status, 400);
      assert.equal((await client.get('/api/audit', { query: { limit: 'many' } })).status, 400);
      assert.equal((await client.get('/api/audit', { query: { before: 'yesterday' } })).status, 400);
    });
  });
  describe('401', () => {
    it('needs a session', async () => {
      assert.equal((await s().client().get('/api/audit')).status, 401);
    });
  });
});
