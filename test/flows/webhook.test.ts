import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, addMember, apiUserId, createFlow, createKey, createTeam, waitForRun } from './support/fixtures.js';

describeEachDialect('POST /api/flows/:id/webhook and the trigger URL', (s) => {
  // TESSERA_PUBLIC_URL of a test server names port 0: aim the URL at the real port.
  const local = (text: string) => {
    const url = new URL(text);
    return new URL(url.pathname + url.search, s().url);
  };
  describe('200', () => {
    it('without proof of the key, gives the URL with a placeholder', async () => {
      const seller = await s().signUp();
      const { key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, EMAIL_FLOW);
      const res = await seller.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: key.id } });
      assert.equal(res.status, 200);
      assert.equal(res.body.includes_key, false);
      const url = new URL(res.body.url);
      assert.equal(url.pathname, '/api/v1/start_pipeline');
      assert.equal(url.searchParams.get('user_id'), await apiUserId(seller.client));
      assert.equal(url.searchParams.get('saved_item_id'), flow.id);
      assert.equal(url.searchParams.get('api_key'), 'YOUR_API_KEY');
      assert.equal(res.body.authorization, 'Bearer YOUR_API_KEY');
    });

    it('with the key passed, a plain POST of JSON to the URL starts the flow with the body as inputs', async () => {
      const seller = await s().signUp();
      const { key, api_key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, EMAIL_FLOW);
      const res = await seller.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: key.id, api_key } });
      assert.equal(res.body.includes_key, true);
      const url = local(res.body.url);
      const hook = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'hook@example.com', note: 'from a webhook', extra: 'ignored' }) });
      assert.equal(hook.status, 200);
      const { run_id } = (await hook.json()) as { run_id: string };
      const run = await waitForRun(s().client(), { key: api_key, userId: url.searchParams.get('user_id')! }, run_id);
      assert.equal(run.state, 'DONE');
      assert.deepEqual(run.inputs, { to: 'hook@example.com', note: 'from a webhook' });
      const header = await fetch(local(res.body.header_url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: res.body.authorization }, body: JSON.stringify({ to: 'h2@example.com' }) });
      assert.equal(header.status, 200);
      assert.ok(!s().logs().includes(api_key), 'the key in the URL is masked in the request log');
    });

    it('a recoverable key goes into the URL after the password, audited as a reveal', async () => {
      const seller = await s().signUp();
      await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } });
      const { key, api_key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, EMAIL_FLOW);
      const wrong = await seller.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: key.id, password: 'nope' } });
      assert.equal(wrong.status, 403);
      const res = await seller.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: key.id, password: seller.password } });
      assert.equal(res.status, 200);
      assert.equal(new URL(res.body.url).searchParams.get('api_key'), api_key);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', key.id).where('action', '=', 'apikey.revealed').execute();
      assert.equal(audit.length, 1);
    });

    it('a team flow with the team key carries project_id; a member can use it', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      const { key, api_key } = await createKey(owner.client, { team_id: team.id });
      const flow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
      const res = await owner.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: key.id, api_key } });
      const url = local(res.body.url);
      assert.equal(url.searchParams.get('project_id'), team.id);
      const hook = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 't@example.com' }) });
      assert.equal(hook.status, 200);
    });
  });

  describe('400', () => {
    it('refuses a personal key for a team flow and a wrong api_key', async () => {
      const owner = await s().signUp();
      const team = await createTeam(owner.client);
      const personal = await createKey(owner.client);
      const teamFlow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
      const mismatch = await owner.client.post(`/api/flows/${teamFlow.id}/webhook`, { json: { key_id: personal.key.id } });
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.body.message, /the team's key for a team flow/);
      const flow = await createFlow(owner.client, EMAIL_FLOW);
      const wrong = await owner.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: personal.key.id, api_key: 'tsr_pk_wrong' } });
      assert.equal(wrong.status, 400);
    });
  });

  describe('404', () => {
    it("another account's flow or key", async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      const flow = await createFlow(a.client, EMAIL_FLOW);
      const bKey = await createKey(b.client);
      const aKey = await createKey(a.client);
      assert.equal((await b.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: bKey.key.id } })).status, 404);
      assert.equal((await a.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: bKey.key.id } })).status, 404);
      assert.equal((await b.client.post(`/api/flows/${flow.id}/webhook`, { json: { key_id: aKey.key.id } })).status, 404);
    });
  });
});
