import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, startServer, type TestServer } from '../support/harness.js';
import { generateToken } from '../support/fixtures.js';
import { setLimits } from '../../src/flows/limits.js';
import { NOT_FOUND_BODY, licensedSale, licenseRow, manage, verify } from '../licenses/fixtures.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey } from '../flows/support/fixtures.js';

// Several Tessera nodes on one PostgreSQL must be interchangeable: what one node changes, the
// other's very next request sees, and shared work is done once. Two servers here share one database.
const postgres = process.env.TEST_POSTGRES_URL ? describe : describe.skip;

postgres('two nodes on one PostgreSQL database', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await createTestDatabase('postgres');
    drop = database.drop;
    a = await startServer('postgres', database.env);
    b = await startServer('postgres', database.env);
  });
  after(async () => {
    await a.close();
    await b.close();
    await drop();
  });

  const user = (s: TestServer, token: string) => s.client().get('/v2/user', { headers: { authorization: `Bearer ${token}` } });

  it('a token regenerated on A, and an application deleted on A, are refused by B on its next request', async () => {
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
});
