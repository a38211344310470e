import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/harness.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';
import { startFlowServer, type FlowServer } from './support/server.js';

for (const dialect of DIALECTS) describe(`restart [${dialect}]`, () => {
  let server: FlowServer;
  before(async () => {
    server = await startFlowServer(dialect, { processEnv: { TESSERA_WORKER: '0' } });
  });
  after(async () => server.close());

  it('queued runs survive a restart; runs left RUNNING by a dead worker end FAILED', async () => {
    const seller = await server.signUp();
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, EMAIL_FLOW);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await server.client().post('/api/v1/start_pipeline', {
        json: { user_id: userId, saved_item_id: flow.id, to: `b${i}@example.com` },
        headers: { authorization: `Bearer ${api_key}` },
      });
      assert.equal(res.status, 200);
      ids.push(res.body.run_id);
    }
    const waiting = await server.ctx.db.selectFrom('flow_runs').select('state').where('id', 'in', ids).execute();
    assert.deepEqual([...new Set(waiting.map((r) => r.state))].sort(), ['QUEUED', 'STARTED'], 'no worker in this process');

    // Two runs a crashed process left RUNNING: one whose heartbeat went stale, one (SQLite: same
    // machine) whose worker process no longer exists.
    const now = Date.now();
    const base = { flow_id: flow.id, owner_type: 'user' as const, owner_id: seller.user.id, user_id: seller.user.id, api_key_id: null, definition: JSON.stringify(EMAIL_FLOW), inputs: '{"to":"x@example.com"}', outputs: '{}', log: '["[1/1] mail (send_email): started"]', idempotency_key: null, created_at: now, started_at: now, finished_at: null };
    await server.ctx.db.insertInto('flow_runs').values({ ...base, id: 'stale-heartbeat-run', state: 'RUNNING', claimed_by: 'elsewhere:1:gone', heartbeat_at: now - 10 * 60_000 }).execute();
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max
    await server.ctx.db.insertInto('flow_runs').values({ ...base, id: 'dead-process-run', state: 'RUNNING', claimed_by: `${(await import('node:os')).hostname()}:${deadPid}:gone`, heartbeat_at: now }).execute();

    await server.restart(); // worker on
    const auth = { key: api_key, userId };
    for (const id of ids) assert.equal((await waitForRun(server.client(), auth, id)).state, 'DONE');
    const mails = await server.ctx.db.selectFrom('email_outbox').select('run_id').where('run_id', 'in', ids).execute();
    assert.equal(mails.length, 8, 'every queued run executed once');
    const stale = await waitForRun(server.client(), auth, 'stale-heartbeat-run');
    assert.equal(stale.state, 'FAILED');
    assert.match(stale.log.at(-1), /^Run failed: the worker running it stopped/);
    if (dialect === 'sqlite') {
      const dead = await waitForRun(server.client(), auth, 'dead-process-run');
      assert.equal(dead.state, 'FAILED');
      assert.deepEqual(dead.log.slice(0, 1), ['[1/1] mail (send_email): started']);
    } else {
      const alive = await server.ctx.db.selectFrom('flow_runs').select('state').where('id', '=', 'dead-process-run').executeTakeFirstOrThrow();
      assert.equal(alive.state, 'RUNNING', 'with PostgreSQL only a stale heartbeat tells a worker died');
    }
  });
});
