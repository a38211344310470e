import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { addMember, apiUserId, createKey, createTeam } from '../flows/support/fixtures.js';

describeEachDialect('POST and GET /api/api-keys', (s) => {
  describe('201', () => {
    it('creates a personal key shown once, stored as its HMAC only, audited without the secret', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api/api-keys', { json: { name: ' CI ', expires_in: 3600 } });
      assert.equal(res.status, 201);
      assert.match(res.body.api_key, /^tsr_pk_[0-9A-Za-z]{49}$/);
      assert.equal(res.body.key.name, 'CI');
      assert.equal(res.body.key.kind, 'personal');
      assert.deepEqual(res.body.key.scopes, ['flows:run']);
      assert.equal(res.body.key.recoverable, false);
      assert.ok(Math.abs(Date.parse(res.body.key.expires_at) - (Date.now() + 3600_000)) < 60_000);
      const row = await s().ctx.db.selectFrom('api_keys').selectAll().where('id', '=', res.body.key.id).executeTakeFirstOrThrow();
      assert.equal(row.key_hash, s().ctx.keys.hash(res.body.api_key));
      assert.equal(row.key_ciphertext, null);
      assert.equal(row.user_id, user.id);
      assert.ok(!JSON.stringify(row).includes(res.body.api_key));
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('target_id', '=', res.body.key.id).execute();
      assert.deepEqual(audit.map((e) => e.action), ['apikey.created']);
      assert.ok(!JSON.stringify(audit).includes(res.body.api_key));
    });

    it('lets one account hold several keys, listed with hint and last use, never the secret', async () => {
      const { client } = await s().signUp();
      const first = await createKey(client, { name: 'one' });
      await createKey(client, { name: 'two', scopes: ['flows:read'] });
      const userId = await apiUserId(client);
      const used = await s().client().get('/api/v1/list_saved_items', { query: { user_id: userId }, headers: { authorization: `Bearer ${first.api_key}` } });
      assert.equal(used.status, 200);
      const res = await client.get('/api/api-keys');
      assert.equal(res.status, 200);
      assert.equal(res.body.api_user_id, userId);
      assert.deepEqual(res.body.keys.map((k: { name: string }) => k.name), ['two', 'one']);
      const one = res.body.keys.find((k: { name: string }) => k.name === 'one');
      assert.equal(one.hint, first.api_key.slice(0, 11) + '…');
      assert.ok(one.last_used_at, 'last use recorded');
      assert.ok(!res.text.includes(first.api_key));
    });

    it('creates a team key for a team owner or admin', async () => {
      const owner = await s().signUp();
      const admin = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, admin, 'admin');
      const res = await admin.client.post('/api/api-keys', { json: { name: 'shared', team_id: team.id } });
      assert.equal(res.status, 201);
      assert.match(res.body.api_key, /^tsr_tk_/);
      assert.equal(res.body.key.team_id, team.id);
      const listed = await owner.client.get('/api/api-keys', { query: { team_id: team.id } });
      assert.deepEqual(listed.body.keys.map((k: { id: string }) => k.id), [res.body.key.id]);
      assert.deepEqual((await owner.client.get('/api/api-keys')).body.keys, [], 'not among personal keys');
    });
  });

  describe('400', () => {
    it('refuses unknown scopes, a silly expiry and a blank name, storing nothing', async () => {
      const { client, user } = await s().signUp();
      for (const body of [{ name: 'x', scopes: ['admin'] }, { name: 'x', expires_in: 5 }, { name: 'x', expires_in: 'soon' }, { name: '  ' }, {}]) {
        const res = await client.post('/api/api-keys', { json: body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.success, false);
      }
      assert.equal((await s().ctx.db.selectFrom('api_keys').select('id').where('created_by', '=', user.id).execute()).length, 0);
    });
  });

  describe('401', () => {
    it('needs a session', async () => {
      assert.equal((await s().client().post('/api/api-keys', { json: { name: 'x' } })).status, 401);
      assert.equal((await s().client().get('/api/api-keys')).status, 401);
    });
  });

  describe('403', () => {
    it('refuses a team key to a plain member', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      const res = await member.client.post('/api/api-keys', { json: { name: 'mine', team_id: team.id } });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, 'Only team owners and admins can do this.');
      assert.equal((await member.client.get('/api/api-keys', { query: { team_id: team.id } })).status, 403);
    });
  });

  describe('404', () => {
    it('answers as if the team did not exist to an outsider', async () => {
      const owner = await s().signUp();
      const outsider = await s().signUp();
      const team = await createTeam(owner.client);
      const res = await outsider.client.post('/api/api-keys', { json: { name: 'x', team_id: team.id } });
      assert.equal(res.status, 404);
      assert.equal(res.body.message, 'Team not found.');
    });
  });
});
