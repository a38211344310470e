import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildServer } from '../support/child-server.js';
import { createTestDatabase, startServer, TEST_SECRET, type TestServer } from '../support/harness.js';
import { apiUserId, createFlow, createKey, slowFlow } from '../flows/support/fixtures.js';

// Issue 16.3: node A is killed (kill -9) while it runs flows; node B, on the same PostgreSQL,
// ends A's runs FAILED once their lease (TESSERA_FLOW_LEASE_SECONDS) runs out, runs the ones
// still queued, and no step runs twice: each run's emails are in the outbox once.
const postgres = process.env.TEST_POSTGRES_URL ? describe : describe.skip;
const LEASE_SECONDS = 2;

const SLOW_FLOW = slowFlow(3000);

postgres('kill -9 of a node mid-run [postgres]', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let a: ChildServer;
  let b: TestServer;
  before(async () => {
    database = await createTestDatabase('postgres');
    env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir, TESSERA_FLOW_LEASE_SECONDS: String(LEASE_SECONDS) };
    b = await startServer('postgres', env);
    a = await ChildServer.start({ ...env, TESSERA_WORKER: '1' });
  });
  after(async () => {
    await a?.kill();
    await b?.close();
    await database?.drop();
  });

  it("A's runs fail on B within the lease, its queued runs finish on B, and no step runs twice", async () => {
    const seller = await b.signUp();
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, SLOW_FLOW);
    const ids: string[] = [];
    // Started on A: A's worker hears of them at once and takes what its slots allow (5 per owner).
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${a.url}/api/v1/start_pipeline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api_key}` },
        body: JSON.stringify({ user_id: userId, saved_item_id: flow.id, to: `buyer-${i}@example.com` }),
      });
      assert.equal(res.status, 200);
      ids.push(((await res.json()) as { run_id: string }).run_id);
    }
    const rows = () => b.ctx.db.selectFrom('flow_runs').select(['id', 'state', 'claimed_by', 'log', 'finished_at']).where('id', 'in', ids).execute();
    const onA = (r: { claimed_by: string | null }) => r.claimed_by?.includes(`:${a.child.pid}:`) ?? false;
    // Kill A once it is inside the pause of some run (its first email queued).
    for (let i = 0; i < 400; i++) {
      if ((await rows()).some((r) => r.state === 'RUNNING' && onA(r) && r.log.includes('first (send_email)'))) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await a.kill();
    const killedAt = Date.now();
    const cut = (await rows()).filter((r) => r.state === 'RUNNING' && onA(r)).map((r) => r.id);
    assert.ok(cut.length >= 1, 'A was killed mid-run');

    const terminal = new Set(['DONE', 'FAILED']);
    for (let i = 0; i < 800 && !(await rows()).every((r) => terminal.has(r.state)); i++) await new Promise((r) => setTimeout(r, 25));
    const end = await rows();
    assert.ok(end.every((r) => terminal.has(r.state)), JSON.stringify(end.map((r) => r.state)));

    const mails = await b.ctx.db.selectFrom('email_outbox').select(['run_id', 'subject']).where('run_id', 'in', ids).execute();
    const subjects = (id: string) => mails.filter((m) => m.run_id === id).map((m) => m.subject).sort();
    for (const run of end) {
      if (cut.includes(run.id)) {
        assert.equal(run.state, 'FAILED', `${run.id}: cut off by the kill`);
        assert.match(JSON.parse(run.log).at(-1), /^Run failed: the worker running it stopped/);
        assert.ok(run.finished_at! - killedAt <= LEASE_SECONDS * 1000 + 3000, `ended ${run.finished_at! - killedAt} ms after the kill`);
        // A run A had claimed but not yet mailed from has no email; one whose first step A finished
        // has that one email (the log may or may not have recorded it before the kill). Never twice,
        // and nothing after the pause.
        const sent = subjects(run.id);
        const logged = (JSON.parse(run.log) as string[]).some((line) => line.includes('] first (send_email)'));
        if (logged) assert.deepEqual(sent, ['first'], 'the step A finished is not run again, the rest never runs');
        else assert.ok(sent.length === 0 || (sent.length === 1 && sent[0] === 'first'), `${run.id}: ${JSON.stringify(sent)}: at most the first step's email, once`);
      } else {
        assert.equal(run.state, 'DONE', `${run.id}: ${run.log}`);
        assert.deepEqual(subjects(run.id), ['first', 'second'], 'each step once');
      }
    }
    const done = end.filter((r) => r.state === 'DONE');
    assert.ok(done.length >= 1);
    assert.ok(done.some((r) => r.claimed_by?.includes(`:${process.pid}:`)), 'B ran the runs A had not taken');
  });
});
