import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GumloopClient } from 'gumloop';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, addMember, apiUserId, createFlow, createKey, createTeam, waitForRun } from './support/fixtures.js';

/** The unmodified `gumloop` SDK 1.0.2, pointed at Tessera by changing its axios base URL only. */
function sdk(base: string, config: { apiKey: string; userId: string; projectId?: string }): GumloopClient {
  const client = new GumloopClient(config);
  (client as any).api.defaults.baseURL = base + '/api/v1';
  return client;
}

describeEachDialect('gumloop SDK 1.0.2 runFlow', (s) => {
  describe('DONE', () => {
    it('returns the outputs with a personal key', async () => {
      const seller = await s().signUp();
      const { api_key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, EMAIL_FLOW);
      const client = sdk(s().url, { apiKey: api_key, userId: await apiUserId(seller.client) });
      const outputs = await client.runFlow(flow.id, { to: 'sdk@example.com', note: 'from the SDK' }, 50);
      const mail = await s().ctx.db.selectFrom('email_outbox').selectAll().where('id', '=', outputs.email_id).executeTakeFirstOrThrow();
      assert.deepEqual(outputs, { email_id: mail.id, to: 'sdk@example.com' });
      assert.equal(mail.body, 'from the SDK');
    });

    it('returns the outputs with a team key, a member and the project_id', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      const { api_key } = await createKey(owner.client, { team_id: team.id });
      const flow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
      const client = sdk(s().url, { apiKey: api_key, userId: await apiUserId(member.client), projectId: team.id });
      const outputs = await client.runFlow(flow.id, { to: 'team@example.com' }, 50);
      assert.equal(outputs.to, 'team@example.com');
      const run = await s().ctx.db.selectFrom('email_outbox').select('user_id').where('id', '=', outputs.email_id).executeTakeFirstOrThrow();
      assert.equal(run.user_id, member.user.id, 'the run acted for the member');
    });
  });

  describe('FAILED', () => {
    it('throws the joined log', async () => {
      const seller = await s().signUp();
      const { api_key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, { name: 'Broken', steps: [{ id: 'w', type: 'delay', ms: 1 }, { id: 'call', type: 'http_request', url: 'http://127.0.0.1:1/' }] });
      const client = sdk(s().url, { apiKey: api_key, userId: await apiUserId(seller.client) });
      await assert.rejects(client.runFlow(flow.id, {}, 50), (err: Error) => {
        assert.match(err.message, /^Flow execution failed: \[1\/2\] w \(delay\): waited 1 ms\n\[2\/2\] call \(http_request\) failed: GET http:\/\/127\.0\.0\.1:1\/ refused: 127\.0\.0\.1 is a private or loopback address\. Run failed\.$/);
        return true;
      });
    });

    it('an SDK with a wrong key or a foreign user_id throws on the 401/403', async () => {
      const seller = await s().signUp();
      const { api_key } = await createKey(seller.client);
      const flow = await createFlow(seller.client, EMAIL_FLOW);
      await assert.rejects(sdk(s().url, { apiKey: 'wrong', userId: await apiUserId(seller.client) }).runFlow(flow.id, { to: 'a@example.com' }, 50), /status code 401/);
      await assert.rejects(sdk(s().url, { apiKey: api_key, userId: 'someone-else' }).runFlow(flow.id, { to: 'a@example.com' }, 50), /status code 403/);
    });
  });

  describe('TERMINATED', () => {
    it('throws when the run is killed', async () => {
      const seller = await s().signUp();
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      const flow = await createFlow(seller.client, { name: 'Slow', steps: [{ id: 'wait', type: 'delay', ms: 30000 }] });
      const client = sdk(s().url, { apiKey: api_key, userId });
      const outcome = assert.rejects(client.runFlow(flow.id, {}, 50), /^Error: Flow execution was terminated: \[1\/1\] wait \(delay\): stopped\. Run terminated\.$|^Error: Flow execution was terminated: Unknown error$/);
      let runId: string | undefined;
      while (!runId) {
        runId = (await s().ctx.db.selectFrom('flow_runs').select('id').where('flow_id', '=', flow.id).executeTakeFirst())?.id;
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitForRun(s().client(), { key: api_key, userId }, runId, ['RUNNING']);
      const killed = await s().client().post('/api/v1/kill_pipeline', { json: { run_id: runId, user_id: userId }, headers: { authorization: `Bearer ${api_key}` } });
      assert.equal(killed.body.success, true);
      await outcome;
    });
  });
});
