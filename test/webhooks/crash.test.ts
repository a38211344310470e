import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createTestDatabase, DIALECTS, TEST_SECRET } from '../support/harness.js';
import { buy, ChildServer, eventually, Receiver, setUpSeller } from './support.js';

for (const dialect of DIALECTS) {
  describe(`webhooks survive kill -9 of the server [${dialect}]`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let env: Record<string, string>;
    let receiver: Receiver;
    let ctx: AppContext & { close(): Promise<void> };
    const servers: ChildServer[] = [];
    before(async () => {
      database = await createTestDatabase(dialect);
      env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir, TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_POLL_MS: '50' };
      receiver = await Receiver.start();
    });
    after(async () => {
      for (const server of servers) await server.kill();
      await receiver.close();
      await ctx?.close();
      await database.drop();
    });

    it('a delivery in flight when the server is killed is sent again after the restart; an event it had not sent yet too', async () => {
      const first = await ChildServer.start(env);
      servers.push(first);
      const seller = await setUpSeller(first.url, receiver.url);
      receiver.hold = true; // the first POST arrives and is never answered
      const saleId = await buy(first.url, seller.token, seller.productId);
      await receiver.waitFor(1, 20_000);
      await first.kill();

      ctx = await createContext(loadConfig({ ...env, TESSERA_WEBHOOK_SENDER: '0' }));
      const [row] = await ctx.db.selectFrom('webhook_deliveries').selectAll().execute();
      assert.equal(row!.state, 'pending', 'the killed server never learnt the answer');
      assert.ok(row!.lease_owner?.includes(`:${first.child.pid}:`));
      // An event committed while no server runs is in the outbox too (the CLI's sale).
      const { recordPurchase } = await import('../../src/sales/record-purchase.js');
      const { CLI_ACTOR } = await import('../../src/context.js');
      await recordPurchase(ctx, seller.userId, { product: seller.productId, email: 'late@example.com' }, CLI_ACTOR);
      assert.equal((await ctx.db.selectFrom('webhook_deliveries').select('id').execute()).length, 2);

      receiver.hold = false;
      const second = await ChildServer.start(env);
      servers.push(second);
      await receiver.waitFor(3, 20_000);
      await eventually(async () => (await ctx.db.selectFrom('webhook_deliveries').select('state').where('state', '!=', 'succeeded').execute()).length === 0, 'both deliveries to succeed');
      const [held, ...after] = receiver.requests;
      const again = after.find((r) => r.headers['webhook-id'] === held!.headers['webhook-id']);
      assert.ok(again, 'the in-flight delivery was sent again, with its webhook-id');
      assert.equal(new URLSearchParams(again.body).get('sale_id'), saleId);
      const late = after.find((r) => r !== again)!;
      assert.equal(new URLSearchParams(late.body).get('email'), 'late@example.com');
      assert.equal(receiver.requests.length, 3);
      await second.stop();
    });
  });
}
