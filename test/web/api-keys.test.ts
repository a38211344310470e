import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '../support/client.js';
import { describeEachDialect } from '../support/harness.js';
import { assertAlreadyShown, follow, sessionCsrf, urlencoded } from './support/forms.js';

const keyOnPage = (html: string) => /id="api-key"[^>]*value="(tsr_[pt]k_[^"]+)"/.exec(html)?.[1];

describeEachDialect('Dashboard: API keys', (s) => {
  const keyRow = (id: string) => s().ctx.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const keyRowByHash = (secret: string) => s().ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow();

  async function personalKey(client: Client, name = 'Script') {
    const csrf = await sessionCsrf(client, '/api-keys');
    const res = await client.post('/api-keys', { raw: urlencoded([['_csrf', csrf], ['name', name], ['expires_in', ''], ['scopes', 'flows:run']]) });
    const page = await follow(client, res);
    const secret = keyOnPage(page.text)!;
    return { secret, row: await keyRowByHash(secret), csrf, location: page.location };
  }

  describe('POST /api-keys', () => {
    it('303: creates a personal key shown once, with its scopes; only the hash is stored; a reload says already shown', async () => {
      const { client, user } = await s().signUp();
      const { secret, row, location } = await personalKey(client);
      await assertAlreadyShown(client, location, secret);
      assert.match(secret, /^tsr_pk_/);
      assert.equal(row.user_id, user.id);
      assert.equal(row.scopes, 'flows:run');
      assert.equal(row.key_ciphertext, null);
      const page = await client.get('/api-keys');
      assert.ok(!page.text.includes(secret));
      assert.ok(page.text.includes(row.hint));
    });

    it('303: creates a team key for a team the viewer owns; a blank name is explained after the redirect', async () => {
      const { client } = await s().signUp();
      const csrf = await sessionCsrf(client, '/api-keys');
      assert.equal((await client.post('/api-keys/teams', { form: { _csrf: csrf, name: 'Ops' } })).status, 303);
      const teamId = /Team ID \(project_id\): <code>([^<]+)<\/code>/.exec((await client.get('/api-keys')).text)![1]!;
      const res = await client.post('/api-keys', { raw: urlencoded([['_csrf', csrf], ['name', 'Ops key'], ['team_id', teamId], ['scopes', 'flows:run'], ['scopes', 'flows:read']]) });
      const row = await keyRowByHash(keyOnPage((await follow(client, res)).text)!);
      assert.equal(row.kind, 'team');
      assert.equal(row.team_id, teamId);
      const blank = await client.post('/api-keys', { form: { _csrf: csrf, name: ' ' } });
      const explained = await follow(client, blank);
      assert.match(explained.text, /role="alert">The 'name' parameter must not be blank\./);
      assert.doesNotMatch((await client.get(explained.location)).text, /must not be blank/, 'the error is shown once');
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
      const ask = await client.post(`/api-keys/${row.id}/regenerate`, { form: { _csrf: csrf, grace_seconds: '3600' } });
      const confirmation = await follow(client, ask);
      assert.match(confirmation.text, /will stop working in 1 hour/);
      assert.match(confirmation.text, /name="grace_seconds" value="3600"/);
      assert.equal((await keyRow(row.id)).key_hash, s().ctx.keys.hash(secret), 'nothing changes before the confirmation');
      const res = await client.post(`/api-keys/${row.id}/regenerate`, { form: { _csrf: csrf, grace_seconds: '3600', confirmed: 'yes' } });
      const shown = await follow(client, res);
      const fresh = keyOnPage(shown.text)!;
      await assertAlreadyShown(client, shown.location, fresh);
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
      assert.match((await follow(client, wrong)).text, /The password is not correct\./);
      const right = await client.post(`/api-keys/${row.id}/reveal`, { form: { _csrf: csrf, password } });
      const shown = await follow(client, right);
      assert.equal(keyOnPage(shown.text), secret);
      await assertAlreadyShown(client, shown.location, secret);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).where('action', '=', 'apikey.revealed').execute();
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes(secret));
    });

    it("revoke kills the key; another account's key reads as missing", async () => {
      const { client } = await s().signUp();
      const { row, csrf } = await personalKey(client);
      const other = await s().signUp();
      const theirs = await other.client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: await sessionCsrf(other.client, '/api-keys'), confirmed: 'yes' } });
      assert.equal(theirs.status, 404);
      assert.equal((await other.client.get(`/api-keys/${row.id}/revoke`)).status, 404);
      assert.equal((await keyRow(row.id)).revoked_at, null);
      const ask = await client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: csrf } });
      assert.equal(ask.headers.get('location'), `/api-keys/${row.id}/revoke`);
      const confirmation = await follow(client, ask);
      assert.match(confirmation.text, /Script \(tsr_pk_[^)]*\) will stop working at once/);
      assert.match(confirmation.text, /name="confirmed" value="yes"/);
      assert.equal((await keyRow(row.id)).revoked_at, null, 'nothing is revoked before the confirmation');
      const res = await client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/api-keys?done=revoked');
      assert.notEqual((await keyRow(row.id)).revoked_at, null);
    });
  });
});
