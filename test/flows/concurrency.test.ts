import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { setLimits } from '../../src/flows/limits.js';
import { FlowWorker } from '../../src/flows/worker.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';

describeEachDialect('200 runs started concurrently', (s) => {
  it('each executes exactly once, with two workers sharing the queue', async () => {
    const seller = await s().signUp();
    await setLimits(s().ctx, { type: 'user', id: seller.user.id }, { maxConcurrent: 50, maxQueued: 1000 });
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, EMAIL_FLOW);
    // A second worker on the same database, besides the server's own.
    const extra = new FlowWorker(s().ctx, { error: () => undefined, warn: () => undefined }, { concurrency: 8, pollMs: 50 });
    await extra.start();
    try {
      const started = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          s().client().post('/api/v1/start_pipeline', {
            json: { user_id: userId, saved_item_id: flow.id, pipeline_inputs: [{ input_name: 'to', value: `buyer${i}@example.com` }] },
            headers: { authorization: `Bearer ${api_key}` },
          }),
        ),
      );
      assert.ok(started.every((r) => r.status === 200), JSON.stringify(started.find((r) => r.status !== 200)?.body));
      const ids = started.map((r) => r.body.run_id as string);
      assert.equal(new Set(ids).size, 200);
      for (const id of ids) assert.equal((await waitForRun(s().client(), { key: api_key, userId }, id)).state, 'DONE');
    } finally {
      await extra.stop();
    }
    const mails = await s().ctx.db.selectFrom('email_outbox').select(['run_id', 'to_address']).where('user_id', '=', seller.user.id).execute();
    assert.equal(mails.length, 200, 'one email per run: no run executed twice, none skipped');
    assert.equal(new Set(mails.map((m) => m.run_id)).size, 200);
    assert.equal(new Set(mails.map((m) => m.to_address)).size, 200);
    const workers = await s().ctx.db.selectFrom('flow_runs').select('claimed_by').where('flow_id', '=', flow.id).execute();
    assert.ok(workers.every((w) => w.claimed_by));
  });
});
