import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { addMember, createKey, createTeam } from '../flows/support/fixtures.js';

describeEachDialect('recoverable keys: PUT /api/api-keys/settings and POST /api/api-keys/:id/reveal', (s) => {
  async function recoverableHolder() {
    const seller = await s().signUp();
    const on = await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } });
    assert.equal(on.status, 200);
    assert.equal(on.body.recoverable_keys, true);
    return { ...seller, ...(await createKey(seller.client)) };
  }

  describe('200', () => {
    it('stores a recoverable key encrypted and reveals it after the password, audited without the key', async () => {
      const k = await recoverableHolder();
      assert.equal(k.key.recoverable, true);
      const row = await s().ctx.db.selectFrom('api_keys').selectAll().where('id', '=', k.key.id).executeTakeFirstOrThrow();
      assert.ok(row.key_ciphertext && !row.key_ciphertext.includes(k.api_key));
      const res = await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: k.password } });
      assert.equal(res.status, 200);
      assert.equal(res.body.api_key, k.api_key);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'apikey.revealed').where('target_id', '=', k.key.id).execute();
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes(k.api_key));
    });

    it('reveals the new secret after a regeneration', async () => {
      const k = await recoverableHolder();
      const regenerated = await k.client.post(`/api/api-keys/${k.key.id}/regenerate`, { json: {} });
      const res = await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: k.password } });
      assert.equal(res.body.api_key, regenerated.body.api_key);
    });

    it('turning the setting off forgets every stored key', async () => {
      const k = await recoverableHolder();
      const off = await k.client.put('/api/api-keys/settings', { json: { recoverable_keys: false } });
      assert.equal(off.body.recoverable_keys, false);
      const row = await s().ctx.db.selectFrom('api_keys').select('key_ciphertext').where('id', '=', k.key.id).executeTakeFirstOrThrow();
      assert.equal(row.key_ciphertext, null);
      assert.equal((await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: k.password } })).status, 409);
    });

    it('team keys follow the team setting; owners and admins reveal them with their own password', async () => {
      const owner = await s().signUp();
      const admin = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, admin, 'admin');
      assert.equal((await admin.client.patch(`/api/teams/${team.id}`, { json: { recoverable_keys: true } })).status, 403, 'owners only');
      const on = await owner.client.patch(`/api/teams/${team.id}`, { json: { recoverable_keys: true } });
      assert.equal(on.status, 200);
      assert.equal(on.body.team.recoverable_keys, true);
      const { api_key, key } = await createKey(owner.client, { team_id: team.id });
      const res = await admin.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: admin.password } });
      assert.equal(res.status, 200);
      assert.equal(res.body.api_key, api_key);
    });
  });

  describe('403', () => {
    it('refuses a wrong password, and pauses reveals after five', async () => {
      const k = await recoverableHolder();
      const res = await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: 'wrong password' } });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, 'The password is not correct.');
      assert.ok(!res.text.includes(k.api_key));
      for (let i = 0; i < 4; i++) await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: 'wrong' } });
      const paused = await k.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: k.password } });
      assert.equal(paused.status, 429);
      assert.ok(Number(paused.headers.get('retry-after')) > 0);
      const revealed = await s().ctx.db.selectFrom('audit_events').select('id').where('action', '=', 'apikey.revealed').where('target_id', '=', k.key.id).execute();
      assert.equal(revealed.length, 0);
    });
  });

  describe('404', () => {
    it("another account's key reads as missing, even with the right password", async () => {
      const k = await recoverableHolder();
      const other = await s().signUp();
      const res = await other.client.post(`/api/api-keys/${k.key.id}/reveal`, { json: { password: other.password } });
      assert.equal(res.status, 404);
    });
  });

  describe('409', () => {
    it('a key made while the setting was off cannot be revealed', async () => {
      const seller = await s().signUp();
      const { key } = await createKey(seller.client);
      await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } });
      const res = await seller.client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: seller.password } });
      assert.equal(res.status, 409);
      assert.match(res.body.message, /Regenerate it instead/);
    });
  });
});
