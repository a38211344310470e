import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, addMember, apiUserId, createFlow, createKey, createTeam, waitForRun } from './support/fixtures.js';

/** A key never reaches another account's flows, workbooks or runs: they read as missing (404). */
describeEachDialect('isolation between accounts on /api/v1', (s) => {
  let a: { key: string; userId: string; flow: { id: string; workbook_id: string }; runId: string };
  let b: { key: string; userId: string };
  let teamKey: { key: string; userId: string };

  before(async () => {
    const alice = await s().signUp();
    const bob = await s().signUp();
    const flow = await createFlow(alice.client, EMAIL_FLOW);
    a = { key: (await createKey(alice.client)).api_key, userId: await apiUserId(alice.client), flow, runId: '' };
    b = { key: (await createKey(bob.client)).api_key, userId: await apiUserId(bob.client) };
    // Bob also belongs to a team with Alice: the team key still reaches only team flows.
    const team = await createTeam(bob.client);
    await addMember(bob.client, team.id, alice);
    teamKey = { key: (await createKey(bob.client, { team_id: team.id })).api_key, userId: a.userId };
    const started = await s().client().post('/api/v1/start_pipeline', {
      json: { user_id: a.userId, saved_item_id: flow.id, to: 'buyer@example.com' },
      headers: { authorization: `Bearer ${a.key}` },
    });
    assert.equal(started.status, 200);
    a.runId = started.body.run_id;
    await waitForRun(s().client(), { key: a.key, userId: a.userId }, a.runId);
  });

  const as = (who: { key: string; userId: string }) => ({ authorization: `Bearer ${who.key}` });

  describe('404', () => {
    for (const who of ['another account’s personal key', 'a team key of a team the owner is in'] as const) {
      it(`${who}: the flow and the run do not exist`, async () => {
        const caller = who.startsWith('another') ? b : teamKey;
        const c = s().client();
        const q = { user_id: caller.userId };
        const runsBefore = (await s().ctx.db.selectFrom('flow_runs').select('id').execute()).length;
        const start = await c.post('/api/v1/start_pipeline', { json: { ...q, saved_item_id: a.flow.id, to: 'x@example.com' }, headers: as(caller) });
        assert.equal(start.status, 404);
        assert.deepEqual(start.body, { error: 'Not Found', message: 'Flow not found.' });
        const run = await c.get('/api/v1/get_pl_run', { query: { ...q, run_id: a.runId }, headers: as(caller) });
        assert.equal(run.status, 404);
        assert.equal(run.body.message, 'Run not found.');
        const kill = await c.post('/api/v1/kill_pipeline', { json: { ...q, run_id: a.runId }, headers: as(caller) });
        assert.equal(kill.status, 404);
        assert.equal((await c.get('/api/v1/get_inputs', { query: { ...q, saved_item_id: a.flow.id }, headers: as(caller) })).status, 404);
        assert.equal((await c.get('/api/v1/get_plrun_saved_item_map', { query: { ...q, saved_item_id: a.flow.id }, headers: as(caller) })).status, 404);
        assert.equal((await c.get('/api/v1/get_plrun_saved_item_map', { query: { ...q, workbook_id: a.flow.workbook_id }, headers: as(caller) })).status, 404);
        const lists = await c.get('/api/v1/list_saved_items', { query: q, headers: as(caller) });
        assert.ok(!JSON.stringify(lists.body).includes(a.flow.id));
        const workbooks = await c.get('/api/v1/list_workbooks', { query: q, headers: as(caller) });
        assert.ok(!JSON.stringify(workbooks.body).includes(a.flow.workbook_id));
        assert.equal((await s().ctx.db.selectFrom('flow_runs').select('id').execute()).length, runsBefore, 'nothing started');
        const stored = await s().ctx.db.selectFrom('flow_runs').select('state').where('id', '=', a.runId).executeTakeFirstOrThrow();
        assert.equal(stored.state, 'DONE', 'not killed');
      });
    }

    it("another account's session sees neither the flow nor its runs", async () => {
      const mallory = await s().signUp();
      assert.equal((await mallory.client.get(`/api/flows/${a.flow.id}`)).status, 404);
      assert.equal((await mallory.client.get(`/api/flows/${a.flow.id}/runs`)).status, 404);
      assert.equal((await mallory.client.get(`/api/flows/${a.flow.id}/runs/${a.runId}`)).status, 404);
      assert.equal((await mallory.client.put(`/api/flows/${a.flow.id}`, { json: { definition: EMAIL_FLOW } })).status, 404);
      assert.equal((await mallory.client.delete(`/api/flows/${a.flow.id}`)).status, 404);
      assert.equal((await mallory.client.post(`/api/flows/${a.flow.id}/runs`, { json: {} })).status, 404);
    });
  });
});
