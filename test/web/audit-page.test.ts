import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp } from '../support/fixtures.js';

describeEachDialect('GET /audit', (s) => {
  describe('200', () => {
    it("lists the account's own events, newest first, and filters them by kind and target", async () => {
      const { client, user } = await s().signUp();
      await createApp(client);
      await s().signUp();

      const all = await client.get('/audit');
      assert.equal(all.status, 200);
      const actions = [...all.text.matchAll(/<td data-label="Action"><code>([^<]+)<\/code>/g)].map((m) => m[1]);
      assert.deepEqual(actions, ['application.created', 'session.created', 'user.created']);

      const apps = await client.get('/audit', { query: { action: 'application.' } });
      assert.deepEqual([...apps.text.matchAll(/<td data-label="Action"><code>([^<]+)<\/code>/g)].map((m) => m[1]), ['application.created']);
      assert.match(apps.text, /<option value="application\." selected>/);

      const byTarget = await client.get('/audit', { query: { target_id: user.id } });
      assert.deepEqual([...byTarget.text.matchAll(/<td data-label="Action"><code>([^<]+)<\/code>/g)].map((m) => m[1]), ['user.created']);

      const none = await client.get('/audit', { query: { exact: 'license.rotated' } });
      assert.match(none.text, /No events match\./);
    });

    it('pages backwards with an "Older events" link and ignores a malformed date', async () => {
      const { client } = await s().signUp();
      for (let i = 0; i < 50; i++) await createApp(client, { name: `App ${i}` });
      const first = await client.get('/audit');
      const older = /href="(\/audit\?before=[^"]+)"/.exec(first.text)?.[1];
      assert.ok(older, 'an Older events link is shown');
      const next = await client.get(older.replace(/&amp;/g, '&'));
      assert.equal(next.status, 200);
      assert.match(next.text, /user\.created/);
      assert.equal((await client.get('/audit', { query: { before: 'yesterday' } })).status, 200);
    });
  });

  describe('303', () => {
    it('sends a logged-out visitor to login', async () => {
      const res = await s().client().get('/audit');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?next=%2Faudit');
    });
  });
});
