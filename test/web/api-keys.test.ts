import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '../support/client.js';
import { describeEachDialect } from '../support/harness.js';
import { sessionCsrf, urlencoded } from './support/forms.js';

const keyOnPage = (html: string) => /id="api-key"[^>]*value="(tsr_[pt]k_[^"]+)"/.exec(html)?.[1];

describeEachDialect('Dashboard: API keys', (s) => {
  const keyRow = (id: string) => s().ctx.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const keyRowByHash = (secret: string) => s().ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow();

  async function personalKey(client: Client, name = 'Script') {
    const csrf = await sessionCsrf(client, '/api-keys');
    const res = await client.post('/api-keys', { raw: urlencoded([['_csrf', csrf], ['name', name], ['expires_in', ''], ['scopes', 'flows:run']]) });
    assert.equal(res.status, 201);
    const secret = keyOnPage(res.text)!;
    return { secret, row: await keyRowByHash(secret), csrf };
  }

  describe('POST /api-keys', () => {
    it('201: creates a personal key shown once, with its scopes; only the hash is stored', async () => {
      const { client, user } = await s().signUp();
      const { secret, row } = await personalKey(client);
      assert.match(secret, /^tsr_pk_/);
      assert.equal(row.user_id, user.id);
      assert.equal(row.scopes, 'flows:run');
      assert.equal(row.key_ciphertext, null);
      const page = await client.get('/api-keys');
      assert.ok(!page.text.includes(secret));
      assert.ok(page.text.includes(row.hint));
    });

    it('201: creates a team key for a team the viewer owns; 400 for a blank name', async () => {
      const { client } = await s().signUp();
      const csrf = await sessionCsrf(client, '/api-keys');
      assert.equal((await client.post('/api-keys/teams', { form: { _csrf: csrf, name: 'Ops' } })).status, 303);
      const teamId = /Team ID \(project_id\): <code>([^<]+)<\/code>/.exec((await client.get('/api-keys')).text)![1]!;
      const res = await client.post('/api-keys', { raw: urlencoded([['_csrf', csrf], ['name', 'Ops key'], ['team_id', teamId], ['scopes', 'flows:run'], ['scopes', 'flows:read']]) });
      assert.equal(res.status, 201);
      const row = await keyRowByHash(keyOnPage(res.text)!);
      assert.equal(row.kind, 'team');
      assert.equal(row.team_id, teamId);
      const blank = await client.post('/api-keys', { form: { _csrf: csrf, name: ' ' } });
      assert.equal(blank.status, 400);
      assert.match(blank.text, /role="alert">The 'name' parameter must not be blank\./);
    });

    it('404: a team key for a team the viewer is not in reads as a missing team', async () => {
      const owner = await s().signUp();
      const csrf = await sessionCsrf(owner.client, '/api-keys');
      await owner.client.post('/api-keys/teams', { form: { _csrf: csrf, name: 'Theirs' } });
      const teamId = /Team ID \(project_id\): <code>([^<]+)<\/code>/.exec((await owner.client.get('/api-keys')).text)![1]!;
      const other = await s().signUp();
      const res = await other.client.post('/api-keys', { form: { _csrf: await sessionCsrf(other.client, '/api-keys'), name: 'x', team_id: teamId } });
      assert.equal(res.status, 404);
      assert.equal(await s().ctx.db.selectFrom('api_keys').select('id').where('team_id', '=', teamId).executeTakeFirst(), undefined);
    });

    it('403: without the CSRF token no key is made', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api-keys', { form: { name: 'forged' } });
      assert.equal(res.status, 403);
      assert.equal(await s().ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    });
  });

  describe('regenerate, reveal and revoke', () => {
    it('regenerate with a grace period keeps the old secret working until then', async () => {
      const { client } = await s().signUp();
      const { secret, row, csrf } = await personalKey(client);
      const res = await client.post(`/api-keys/${row.id}/regenerate`, { form: { _csrf: csrf, grace_seconds: '3600' } });
      assert.equal(res.status, 200);
      const fresh = keyOnPage(res.text)!;
      assert.notEqual(fresh, secret);
      const after = await keyRow(row.id);
      assert.equal(after.key_hash, s().ctx.keys.hash(fresh));
      assert.equal(after.previous_key_hash, s().ctx.keys.hash(secret));
      assert.ok(Math.abs(after.previous_valid_until! - (Date.now() + 3600_000)) < 60_000);
    });

    it('reveal needs recoverable keys and the password; a wrong password is refused on the page', async () => {
      const { client, user, password } = await s().signUp();
      const csrf = await sessionCsrf(client, '/api-keys');
      assert.equal((await client.post('/api-keys/settings', { form: { _csrf: csrf, recoverable_keys: 'on' } })).status, 303);
      const { secret, row } = await personalKey(client, 'Recoverable');
      assert.notEqual(row.key_ciphertext, null);
      const wrong = await client.post(`/api-keys/${row.id}/reveal`, { form: { _csrf: csrf, password: 'not my password' } });
      assert.equal(wrong.status, 403);
      assert.match(wrong.text, /The password is not correct\./);
      const right = await client.post(`/api-keys/${row.id}/reveal`, { form: { _csrf: csrf, password } });
      assert.equal(right.status, 200);
      assert.equal(keyOnPage(right.text), secret);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).where('action', '=', 'apikey.revealed').execute();
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes(secret));
    });

    it("revoke kills the key; another account's key reads as missing", async () => {
      const { client } = await s().signUp();
      const { row, csrf } = await personalKey(client);
      const other = await s().signUp();
      const theirs = await other.client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: await sessionCsrf(other.client, '/api-keys') } });
      assert.equal(theirs.status, 404);
      assert.equal((await keyRow(row.id)).revoked_at, null);
      const res = await client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: csrf } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/api-keys?done=revoked');
      assert.notEqual((await keyRow(row.id)).revoked_at, null);
    });
  });
});
