import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { setLimits } from '../../src/flows/limits.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';

const SLOW = { name: 'Slow', inputs: [{ name: 'ms', default: 0 }], steps: [{ id: 'wait', type: 'delay', ms: 20000 }, { id: 'mail', type: 'send_email', to: 'a@example.com', subject: 's', text: 't' }] };

describeEachDialect('runs: start_pipeline, get_pl_run, kill_pipeline and the worker', (s) => {
  async function seller(definition: Record<string, unknown> = EMAIL_FLOW) {
    const account = await s().signUp();
    const { api_key } = await createKey(account.client);
    const userId = await apiUserId(account.client);
    const flow = await createFlow(account.client, definition);
    const headers = { authorization: `Bearer ${api_key}` };
    const start = (body: Record<string, unknown> = {}, extra: Record<string, string> = {}) =>
      s().client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, to: 'buyer@example.com', ...body }, headers: { ...headers, ...extra } });
    const get = (runId: string) => s().client().get('/api/v1/get_pl_run', { query: { run_id: runId, user_id: userId }, headers });
    const kill = (runId: string) => s().client().post('/api/v1/kill_pipeline', { json: { run_id: runId, user_id: userId }, headers });
    const wait = (runId: string, states?: string[]) => waitForRun(s().client(), { key: api_key, userId }, runId, states);
    return { ...account, key: api_key, userId, flow, start, get, kill, wait };
  }

  describe('200', () => {
    it('start_pipeline answers at once with the four ids; get_pl_run reports every field', async () => {
      const k = await seller();
      const res = await k.start({ pipeline_inputs: [{ input_name: 'note', value: 42 }] });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['run_id', 'saved_item_id', 'url', 'workbook_id']);
      assert.equal(res.body.saved_item_id, k.flow.id);
      assert.equal(res.body.workbook_id, k.flow.workbook_id);
      assert.equal(res.body.url, `${s().url}/flows/${k.flow.id}/runs/${res.body.run_id}`);
      // The url opens the run's dashboard page for its owner.
      const page = await k.client.get(new URL(res.body.url).pathname);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.ok(page.text.includes(res.body.run_id));
      const done = await k.wait(res.body.run_id);
      assert.equal(done.state, 'DONE');
      assert.equal(done.user_id, k.userId);
      assert.deepEqual(done.inputs, { to: 'buyer@example.com', note: 42 });
      assert.match(done.created_ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(Date.parse(done.finished_ts) >= Date.parse(done.created_ts));
      const mail = await s().ctx.db.selectFrom('email_outbox').selectAll().where('run_id', '=', res.body.run_id).executeTakeFirstOrThrow();
      assert.equal(done.outputs.email_id, mail.id);
      assert.equal(mail.body, '42', 'a number fills a text parameter');
    });

    it('takes inputs from the query string and the GET trigger, pipeline_inputs winning, reserved names ignored', async () => {
      const k = await seller();
      const res = await s().client().get('/api/v1/start_pipeline', {
        query: { user_id: k.userId, saved_item_id: k.flow.id, api_key: k.key, to: 'query@example.com', note: 'from query', pipeline_inputs: JSON.stringify([{ input_name: 'note', value: 'from list' }, { input_name: 'api_key', value: 'x' }]) },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const done = await k.wait(res.body.run_id);
      assert.deepEqual(done.inputs, { to: 'query@example.com', note: 'from list' });
    });

    it('a repeated Idempotency-Key returns the first run and queues nothing more', async () => {
      const k = await seller();
      const [a, b] = await Promise.all([k.start({}, { 'idempotency-key': 'order-77' }), k.start({}, { 'idempotency-key': 'order-77' })]);
      const c = await k.start({}, { 'idempotency-key': 'order-77' });
      assert.equal(a.body.run_id, b.body.run_id);
      assert.equal(a.body.run_id, c.body.run_id);
      const rows = await s().ctx.db.selectFrom('flow_runs').select('id').where('flow_id', '=', k.flow.id).execute();
      assert.equal(rows.length, 1);
    });

    it('kill_pipeline terminates a running run and a queued one; a finished run is left alone', async () => {
      const k = await seller(SLOW);
      await setLimits(s().ctx, { type: 'user', id: k.user.id }, { maxConcurrent: 1 });
      const running = await k.start();
      await k.wait(running.body.run_id, ['RUNNING']);
      const queued = await k.start();
      assert.equal((await k.get(queued.body.run_id)).body.state, 'QUEUED');
      const killQueued = await k.kill(queued.body.run_id);
      assert.deepEqual(killQueued.body, { success: true, run_id: queued.body.run_id });
      const killRunning = await k.kill(running.body.run_id);
      assert.equal(killRunning.body.success, true);
      const ended = await k.wait(running.body.run_id);
      assert.equal(ended.state, 'TERMINATED');
      assert.deepEqual(ended.log, ['[1/2] wait (delay): stopped. Run terminated.']);
      const q = await k.wait(queued.body.run_id);
      assert.equal(q.state, 'TERMINATED');
      assert.deepEqual(q.log, ['Run terminated before it started.']);
      assert.equal((await s().ctx.db.selectFrom('email_outbox').select('id').where('run_id', 'in', [running.body.run_id, queued.body.run_id]).execute()).length, 0);
      const again = await k.kill(running.body.run_id);
      assert.deepEqual(again.body, { success: false, run_id: running.body.run_id });
      const audit = await s().ctx.db.selectFrom('audit_events').select(['action', 'actor_type']).where('action', '=', 'flow.run_killed').where('user_id', '=', k.user.id).execute();
      assert.equal(audit.length, 2);
      assert.equal(audit[0]!.actor_type, 'api_key');
    });

    it('at the concurrency limit runs wait as QUEUED and all complete', async () => {
      const k = await seller({ name: 'Short', steps: [{ id: 'wait', type: 'delay', ms: 150 }] });
      await setLimits(s().ctx, { type: 'user', id: k.user.id }, { maxConcurrent: 2 });
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await k.start()).body.run_id);
      const states = await s().ctx.db.selectFrom('flow_runs').select('state').where('id', 'in', ids.slice(2)).execute();
      assert.ok(states.some((r) => r.state === 'QUEUED'), JSON.stringify(states));
      for (const id of ids) assert.equal((await k.wait(id)).state, 'DONE');
    });
  });

  describe('FAILED', () => {
    it('a template naming a missing field fails the run with a clear log line; the worker goes on', async () => {
      const k = await seller({
        name: 'Bad template',
        inputs: [{ name: 'customer' }],
        steps: [{ id: 'mail', type: 'send_email', to: '{{ inputs.customer.email }}', subject: 's', text: 't' }],
      });
      const res = await k.start({ customer: { name: 'no email' } });
      const run = await k.wait(res.body.run_id);
      assert.equal(run.state, 'FAILED');
      assert.deepEqual(run.log, ['[1/1] mail (send_email) failed: "{{ inputs.customer.email }}": inputs.customer has no "email". Run failed.']);
      const next = await seller();
      assert.equal((await next.wait((await next.start()).body.run_id)).state, 'DONE');
    });

    it('a value that breaks a step after templating fails the run', async () => {
      const k = await seller({ name: 'Typed', inputs: [{ name: 'to' }], steps: [{ id: 'mail', type: 'send_email', to: '{{ inputs.to }}', subject: 's', text: 't' }] });
      const object = await k.wait((await k.start({ to: { not: 'a string' } })).body.run_id);
      assert.equal(object.state, 'FAILED');
      assert.match(object.log[0], /^\[1\/1\] mail \(send_email\)\.to must be string\. Run failed\.$/);
      const notEmail = await k.wait((await k.start({ to: 'nobody' })).body.run_id);
      assert.match(notEmail.log[0], /"nobody" is not an email address/);
    });

    it('an unknown step type or a broken definition in storage fails the run before its first step', async () => {
      const k = await seller();
      await s().ctx.db.updateTable('flows').set({ definition: JSON.stringify({ name: 'x', steps: [{ id: 'a', type: 'teleport' }] }) }).where('id', '=', k.flow.id).execute();
      const run = await k.wait((await k.start()).body.run_id);
      assert.equal(run.state, 'FAILED');
      assert.match(run.log[0], /^Run failed before its first step: The flow is not valid: steps\[0\] \(a\): unknown step type "teleport"/);
      await s().ctx.db.updateTable('flows').set({ definition: '{not json' }).where('id', '=', k.flow.id).execute();
      const broken = await k.wait((await k.start()).body.run_id);
      assert.equal(broken.state, 'FAILED');
      assert.match(broken.log[0], /^Run failed before its first step: internal error/);
    });

    it('outputs over the size limit and runs over the time limit fail', async () => {
      const k = await seller({ name: 'Big', inputs: [{ name: 'blob' }], steps: [{ id: 'w', type: 'delay', ms: 0 }], outputs: { blob: '{{ inputs.blob }}' } });
      await setLimits(s().ctx, { type: 'user', id: k.user.id }, { maxOutputBytes: 100, maxRunSeconds: 1 });
      const big = await k.wait((await k.start({ blob: 'x'.repeat(200) })).body.run_id);
      assert.equal(big.state, 'FAILED');
      assert.match(big.log[1], /^Outputs are \d+ bytes, over the limit of 100 bytes\. Run failed\.$/);
      assert.deepEqual(big.outputs, {});
      await s().ctx.db.updateTable('flows').set({ definition: JSON.stringify(SLOW) }).where('id', '=', k.flow.id).execute();
      const slow = await k.wait((await k.start()).body.run_id);
      assert.equal(slow.state, 'FAILED');
      assert.deepEqual(slow.log, ['[1/2] wait (delay): stopped. Run failed: it exceeded its time limit of 1 s.']);
    });
  });

  describe('400', () => {
    it('start without saved_item_id, with a bad pipeline_inputs, a missing required input or a bad Idempotency-Key', async () => {
      const k = await seller();
      const before = (await s().ctx.db.selectFrom('flow_runs').select('id').execute()).length;
      const headers = { authorization: `Bearer ${k.key}` };
      const noFlow = await s().client().post('/api/v1/start_pipeline', { json: { user_id: k.userId }, headers });
      assert.equal(noFlow.status, 400);
      assert.deepEqual(noFlow.body, { error: 'Bad Request', message: "The 'saved_item_id' parameter is required." });
      assert.equal((await k.start({ pipeline_inputs: 'nope' })).status, 400);
      assert.equal((await k.start({ pipeline_inputs: [{ value: 1 }] })).status, 400);
      const missing = await k.start({ to: undefined });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.message, "The input 'to' is required.");
      assert.equal((await k.start({}, { 'idempotency-key': 'x'.repeat(201) })).status, 400);
      assert.equal((await s().client().get('/api/v1/get_pl_run', { query: { user_id: k.userId }, headers })).status, 400);
      assert.equal((await s().client().post('/api/v1/kill_pipeline', { json: { user_id: k.userId }, headers })).status, 400);
      assert.equal((await s().ctx.db.selectFrom('flow_runs').select('id').execute()).length, before);
    });
  });

  describe('404', () => {
    it('an unknown run and an unknown flow', async () => {
      const k = await seller();
      assert.equal((await k.get('nope')).status, 404);
      assert.equal((await k.kill('nope')).status, 404);
      assert.equal((await k.start({ saved_item_id: 'nope' })).status, 404);
    });
  });

  describe('429', () => {
    it('over the cap of waiting runs, with Retry-After; nothing is queued', async () => {
      const k = await seller(SLOW);
      await setLimits(s().ctx, { type: 'user', id: k.user.id }, { maxConcurrent: 1, maxQueued: 2 });
      const first = await k.start();
      await k.wait(first.body.run_id, ['RUNNING']);
      assert.equal((await k.start()).status, 200);
      assert.equal((await k.start()).status, 200);
      const refused = await k.start();
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '10');
      assert.equal(refused.body.error, 'Too Many Requests');
      assert.match(refused.body.message, /2 runs are already waiting \(the limit is 2\)/);
      const rows = await s().ctx.db.selectFrom('flow_runs').select(['id', 'state']).where('flow_id', '=', k.flow.id).execute();
      assert.equal(rows.length, 3);
      for (const row of rows) await k.kill(row.id);
    });
  });
});
