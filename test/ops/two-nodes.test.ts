import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTwoNodes, type TestServer } from '../support/harness.js';
import { generateToken, sellerWithToken } from '../support/fixtures.js';
import { basic, thirdPartySetup } from '../oauth/support.js';
import { setLimits } from '../../src/flows/limits.js';
import { NOT_FOUND_BODY, licensedSale, licenseRow, manage, verify } from '../licenses/fixtures.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, slowFlow, waitForRun } from '../flows/support/fixtures.js';
import { FlowWorker } from '../../src/flows/worker.js';

// Several Tessera nodes on one PostgreSQL must be interchangeable: what one node changes, the
// other's very next request sees, and shared work is done once. Two servers here share one database.
// Small limits, so that holding them across both nodes is quick to show (issue 16.2).
const LIMITS = {
  TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '6',
  TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT: '6',
  TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP: '4',
  TESSERA_SALES_DEEP_PAGE_LIMIT_WINDOW: '600',
};

describeTwoNodes('two nodes on one PostgreSQL database', (nodes) => {
  const user = (s: TestServer, token: string) => s.client().get('/v2/user', { headers: { authorization: `Bearer ${token}` } });

  it('a token regenerated on A, and an application deleted on A, are refused by B on its next request', async () => {
    const { a, b } = nodes();
    const seller = await a.signUp();
    const created = await seller.client.post('/api/applications', { json: { name: 'Two nodes', redirect_uri: 'http://127.0.0.1' } });
    const appId = created.body.application.id as string;
    const first = await generateToken(seller.client, appId);
    assert.equal((await user(b, first)).status, 200);
    const second = await generateToken(seller.client, appId);
    const refused = await user(b, first);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.success, false);
    assert.equal((await user(b, second)).status, 200);
    assert.equal((await seller.client.delete(`/api/applications/${appId}`)).status, 200);
    assert.equal((await user(b, second)).status, 401);
  });

  it('a license rotated or disabled on A is refused by B at once', async () => {
    const { a, b } = nodes();
    const { seller, product, key } = await licensedSale(a);
    assert.equal((await verify(b, { product_id: product.id, license_key: key })).status, 200);
    const rotated = await manage(a, 'rotate', seller.token, { product_id: product.id, license_key: key });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const newKey = rotated.body.purchase.license_key as string;
    const old = await verify(b, { product_id: product.id, license_key: key });
    assert.equal(old.status, 404);
    assert.deepEqual(old.body, NOT_FOUND_BODY);
    assert.equal((await verify(b, { product_id: product.id, license_key: newKey })).status, 200);
    assert.equal((await manage(a, 'disable', seller.token, { product_id: product.id, license_key: newKey })).status, 200);
    const disabled = await verify(b, { product_id: product.id, license_key: newKey });
    assert.equal(disabled.status, 404);
    assert.equal(disabled.body.success, false);
  });

  it('10,000 verifications split across A and B leave uses exact', async () => {
    const { a, b } = nodes();
    const { product, sale, key } = await licensedSale(a);
    const params = { product_id: product.id, license_key: key };
    let ok = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, lane) => {
        const node = lane % 2 === 0 ? a : b;
        for (let i = 0; i < 200; i++) if ((await verify(node, params)).status === 200) ok++;
      }),
    );
    assert.equal(ok, 10_000);
    assert.equal((await licenseRow(a, sale.license_id)).uses, 10_000);
    assert.equal((await verify(b, { ...params, increment_uses_count: 'false' })).body.uses, 10_000);
  });

  it('1,000 flow runs started on both nodes are each executed once', async () => {
    const { a, b } = nodes();
    const seller = await a.signUp();
    await setLimits(a.ctx, { type: 'user', id: seller.user.id }, { maxConcurrent: 100, maxQueued: 2000 });
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, EMAIL_FLOW);
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, lane) => {
        const node = lane % 2 === 0 ? a : b;
        for (let i = 0; i < 50; i++) {
          const res = await node.client().post('/api/v1/start_pipeline', {
            json: { user_id: userId, saved_item_id: flow.id, pipeline_inputs: [{ input_name: 'to', value: `buyer-${lane}-${i}@example.com` }] },
            headers: { authorization: `Bearer ${api_key}` },
          });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          ids.push(res.body.run_id);
        }
      }),
    );
    assert.equal(new Set(ids).size, 1000);
    // Both servers' workers take runs from the one queue; wait for the queue to drain.
    const done = async () =>
      Number((await a.ctx.db.selectFrom('flow_runs').select((e) => e.fn.countAll().as('n')).where('flow_id', '=', flow.id).where('state', '=', 'DONE').executeTakeFirstOrThrow()).n);
    for (let i = 0; i < 1200 && (await done()) < 1000; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await done(), 1000);
    const mails = await a.ctx.db.selectFrom('email_outbox').select(['run_id']).where('user_id', '=', seller.user.id).execute();
    assert.equal(mails.length, 1000, 'one email per run: none executed twice, none skipped');
    assert.equal(new Set(mails.map((m) => m.run_id)).size, 1000);
    const claimedBy = await a.ctx.db.selectFrom('flow_runs').select('claimed_by').distinct().where('flow_id', '=', flow.id).execute();
    assert.ok(claimedBy.length >= 2, 'both nodes took part');
  });

  describe('shared limits: a limit of N holds at N across both nodes', () => {
    it('login: 10 wrong passwords split across A and B, then even the right one is 429 on both', async () => {
      const { a, b } = nodes();
      const { user, password } = await a.signUp();
      const login = (node: TestServer, pw: string) => node.client().post('/api/session', { json: { email: user.email, password: pw } });
      for (let i = 0; i < 10; i++) assert.equal((await login(i % 2 ? b : a, 'wrong password!')).status, 401);
      for (const node of [a, b]) {
        const refused = await login(node, password);
        assert.equal(refused.status, 429, JSON.stringify(refused.body));
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
      }
      const stored = await a.ctx.db.selectFrom('rate_limit_counters').select('hits').where('limiter', '=', 'login_email').execute();
      assert.deepEqual(stored.map((r) => r.hits), [10], 'one shared count; the refused attempts wrote nothing');
    });

    it('API-key reveal: 5 wrong passwords split across A and B, then the right one is 429 on both', async () => {
      const { a, b } = nodes();
      const seller = await a.signUp();
      assert.equal((await seller.client.put('/api/api-keys/settings', { json: { recoverable_keys: true } })).status, 200);
      const { key } = await createKey(seller.client);
      const onB = b.client();
      onB.cookie = seller.client.cookie;
      const reveal = (client: typeof onB, pw: string) => client.post(`/api/api-keys/${key.id}/reveal`, { json: { password: pw } });
      for (let i = 0; i < 5; i++) assert.equal((await reveal(i % 2 ? onB : seller.client, 'wrong password!')).status, 403);
      assert.equal((await reveal(seller.client, seller.password)).status, 429);
      assert.equal((await reveal(onB, seller.password)).status, 429);
    });

    it('failed verifications: 6 split across A and B; the next failure on either is 429, then every verify from the address', async () => {
      const { a, b } = nodes();
      const { product, key } = await licensedSale(a);
      const guess = (node: TestServer, i: number) => verify(node, { product_id: product.id, license_key: `GUESS-${i}-${Date.now()}` });
      // Earlier cases here failed a few verifications from this address already (a rotated key, a disabled one).
      const counted = await a.ctx.db.selectFrom('rate_limit_counters').select('hits').where('limiter', '=', 'verify_failures').where('expires_at', '>', Date.now()).execute();
      const already = counted.reduce((n, r) => n + r.hits, 0);
      assert.ok(already < 6, `${already} failures counted before`);
      for (let i = already; i < 6; i++) assert.equal((await guess(i % 2 ? b : a, i)).status, 404);
      for (const node of [a, b]) assert.equal((await guess(node, 99)).status, 429, 'the failure past the limit, on either node');
      for (const node of [a, b]) {
        const refused = await verify(node, { product_id: product.id, license_key: key });
        assert.equal(refused.status, 429, 'the right key too, from that address');
        assert.equal(refused.body.error, 'rate_limited');
      }
    });

    it('token endpoint: 30 parallel requests split across A and B against a per-client limit of 6 let exactly 6 through', async () => {
      const { a, b } = nodes();
      const setup = await thirdPartySetup(a);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? b : a).client().post('/oauth/token', { form: { grant_type: 'client_credentials', scope: 'view_sales' }, headers: basic(setup.clientId, setup.clientSecret) }),
        ),
      );
      const through = results.filter((r) => r.status !== 429);
      assert.equal(through.length, 6, JSON.stringify(results.map((r) => r.status)));
      assert.ok(through.every((r) => r.status === 200));
      const app = await a.ctx.db.selectFrom('applications').select('id').where('client_id', '=', setup.clientId).executeTakeFirstOrThrow();
      assert.equal((await a.ctx.db.selectFrom('access_tokens').select('id').where('application_id', '=', app.id).execute()).length, 6);
    });

    it('deep pages of GET /v2/sales: 20 parallel split across A and B against 4 let exactly 4 through', async () => {
      const { a, b } = nodes();
      const seller = await sellerWithToken(a);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).client().get('/v2/sales', { query: { page: '11' }, headers: { authorization: `Bearer ${seller.token}` } })),
      );
      assert.equal(results.filter((r) => r.status !== 429).length, 4, JSON.stringify(results.map((r) => r.status)));
    });
  });
}, LIMITS);

// No in-process worker on either node: the test runs one worker on B alone, so a run killed
// through A's API can only reach it through the database (the TERMINATING state its heartbeat
// reads), as it would on another machine; nothing in A's memory reaches B's worker.
describeTwoNodes('two nodes: a run killed on A stops on B', (nodes) => {
  it("kill_pipeline on A ends a run that B's worker is executing, within a few heartbeats, and its later steps never run", async () => {
    const { a, b } = nodes();
    const quiet = { info() {}, warn() {}, error() {} };
    const worker = new FlowWorker(b.ctx, quiet, { heartbeatMs: 100 });
    await worker.start();
    try {
      const seller = await a.signUp();
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      const flow = await createFlow(seller.client, slowFlow(60_000));
      const auth = { authorization: `Bearer ${api_key}` };
      const started = await a.client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, to: 'buyer@example.com' }, headers: auth });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const runId = started.body.run_id as string;
      await waitForRun(a.client(), { key: api_key, userId }, runId, ['RUNNING']);
      const row = await a.ctx.db.selectFrom('flow_runs').select('claimed_by').where('id', '=', runId).executeTakeFirstOrThrow();
      assert.equal(row.claimed_by, worker.id, "B's worker, the only one, runs it");

      const killedAt = Date.now();
      const killed = await a.client().post('/api/v1/kill_pipeline', { json: { user_id: userId, run_id: runId }, headers: auth });
      assert.equal(killed.status, 200, JSON.stringify(killed.body));
      assert.deepEqual(killed.body, { success: true, run_id: runId });
      const ended = await waitForRun(a.client(), { key: api_key, userId }, runId);
      assert.equal(ended.state, 'TERMINATED');
      assert.ok(Date.now() - killedAt < 10_000, `ended ${Date.now() - killedAt} ms after the kill, long before the pause's 60 s`);
      const mails = await a.ctx.db.selectFrom('email_outbox').select('subject').where('run_id', '=', runId).execute();
      assert.deepEqual(mails.map((m) => m.subject), ['first'], 'the step after the pause never ran');
    } finally {
      await worker.stop(0);
    }
  });
}, { TESSERA_WORKER: '0' });
