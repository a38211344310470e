import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { addMember, apiUserId, createKey, createTeam } from '../flows/support/fixtures.js';

describeEachDialect('POST /api/api-keys/:id/regenerate and DELETE /api/api-keys/:id', (s) => {
  async function keyHolder(body: Record<string, unknown> = {}) {
    const seller = await s().signUp();
    const created = await createKey(seller.client, { name: 'deploy', scopes: ['flows:read'], expires_in: 7200, ...body });
    const userId = await apiUserId(seller.client);
    const call = (key: string) => s().client().get('/api/v1/list_saved_items', { query: { user_id: userId }, headers: { authorization: `Bearer ${key}` } });
    return { ...seller, ...created, call };
  }

  describe('200', () => {
    it('regenerates: the old key is 401 at once, the new one works, name, scopes and expiry are kept', async () => {
      const k = await keyHolder();
      assert.equal((await k.call(k.api_key)).status, 200);
      const res = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: {} });
      assert.equal(res.status, 200);
      assert.notEqual(res.body.api_key, k.api_key);
      assert.equal(res.body.key.id, k.key.id);
      assert.equal(res.body.key.name, 'deploy');
      assert.deepEqual(res.body.key.scopes, ['flows:read']);
      assert.equal(res.body.key.expires_at, (k.key as unknown as { expires_at: string }).expires_at);
      assert.equal(res.body.key.previous_valid_until, null);
      const old = await k.call(k.api_key);
      assert.equal(old.status, 401);
      assert.equal(old.body.error, 'Unauthorized');
      assert.equal((await k.call(res.body.api_key)).status, 200);
      const row = await s().ctx.db.selectFrom('api_keys').selectAll().where('id', '=', k.key.id).executeTakeFirstOrThrow();
      assert.equal(row.key_hash, s().ctx.keys.hash(res.body.api_key));
      const audit = await s().ctx.db.selectFrom('audit_events').select(['action', 'metadata']).where('target_id', '=', k.key.id).orderBy('occurred_at').execute();
      assert.deepEqual(audit.map((e) => e.action), ['apikey.created', 'apikey.regenerated']);
    });

    it('keeps the old key working during a grace period, and a second regeneration ends it', async () => {
      const k = await keyHolder();
      const res = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: { grace_seconds: 3600 } });
      assert.equal(res.status, 200);
      assert.ok(Math.abs(Date.parse(res.body.key.previous_valid_until) - (Date.now() + 3600_000)) < 60_000);
      assert.equal((await k.call(k.api_key)).status, 200, 'old key in grace');
      assert.equal((await k.call(res.body.api_key)).status, 200);
      const again = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: {} });
      assert.equal((await k.call(k.api_key)).status, 401, 'first key gone');
      assert.equal((await k.call(res.body.api_key)).status, 401, 'second key gone');
      assert.equal((await k.call(again.body.api_key)).status, 200);
    });

    it('ends a grace period when it expires', async () => {
      const k = await keyHolder();
      const res = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: { grace_seconds: 60 } });
      await s().ctx.db.updateTable('api_keys').set({ previous_valid_until: Date.now() - 1 }).where('id', '=', k.key.id).execute();
      assert.equal((await k.call(k.api_key)).status, 401);
      assert.equal((await k.call(res.body.api_key)).status, 200);
    });

    it('revokes: the key and a secret in grace are 401 at once; the key leaves the list', async () => {
      const k = await keyHolder();
      const regenerated = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: { grace_seconds: 600 } });
      const res = await k.client.delete(`/api/api-keys/${k.key.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true, revoked: true });
      const revoked = await k.call(regenerated.body.api_key);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.message, 'The API key was revoked or regenerated.');
      assert.equal((await k.call(k.api_key)).status, 401);
      assert.deepEqual((await k.client.get('/api/api-keys')).body.keys, []);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', k.key.id).execute();
      assert.ok(audit.some((e) => e.action === 'apikey.revoked'));
    });

    it('an expired key is 401', async () => {
      const k = await keyHolder();
      await s().ctx.db.updateTable('api_keys').set({ expires_at: Date.now() - 1 }).where('id', '=', k.key.id).execute();
      const res = await k.call(k.api_key);
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'The API key expired.');
    });
  });

  describe('400', () => {
    it('refuses a grace period over 24 hours, keeping the key', async () => {
      const k = await keyHolder();
      const res = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: { grace_seconds: 86401 } });
      assert.equal(res.status, 400);
      assert.equal((await k.call(k.api_key)).status, 200);
    });
  });

  describe('403', () => {
    it('a plain team member cannot regenerate or revoke the team key', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      const { key } = await createKey(owner.client, { team_id: team.id });
      assert.equal((await member.client.post(`/api/api-keys/${key.id}/regenerate`, { json: {} })).status, 403);
      assert.equal((await member.client.delete(`/api/api-keys/${key.id}`)).status, 403);
    });
  });

  describe('404', () => {
    it("another account's key, a revoked key, an unknown id", async () => {
      const k = await keyHolder();
      const other = await s().signUp();
      assert.equal((await other.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: {} })).status, 404);
      assert.equal((await other.client.delete(`/api/api-keys/${k.key.id}`)).status, 404);
      assert.equal((await k.call(k.api_key)).status, 200, 'untouched');
      await k.client.delete(`/api/api-keys/${k.key.id}`);
      assert.equal((await k.client.delete(`/api/api-keys/${k.key.id}`)).status, 404);
      assert.equal((await k.client.post('/api/api-keys/nope/regenerate', { json: {} })).status, 404);
    });
  });
});
