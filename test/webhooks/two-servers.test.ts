import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createTestDatabase, DIALECTS, TEST_SECRET } from '../support/harness.js';
import { buy, ChildServer, eventually, Receiver, setUpSeller } from './support.js';

const EVENTS = 30;

for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`two servers on one PostgreSQL [${dialect}]`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let receiver: Receiver;
    let ctx: AppContext & { close(): Promise<void> };
    const servers: ChildServer[] = [];
    before(async () => {
      database = await createTestDatabase(dialect);
      receiver = await Receiver.start();
      const env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir, TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_POLL_MS: '10' };
      servers.push(await ChildServer.start(env));
      servers.push(await ChildServer.start(env));
      ctx = await createContext(loadConfig({ ...env, TESSERA_WEBHOOK_SENDER: '0' }));
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await receiver.close();
      await ctx.close();
      await database.drop();
    });

    it('delivers each attempt exactly once while both senders poll the same outbox', async () => {
      const [a, b] = servers as [ChildServer, ChildServer];
      const seller = await setUpSeller(a.url, receiver.url);
      // Events through both servers: each wakes its own sender, both poll every 10 ms.
      await Promise.all(Array.from({ length: EVENTS }, (_, i) => buy(i % 2 ? b.url : a.url, seller.token, seller.productId, `b${i}@example.com`)));
      await receiver.waitFor(EVENTS, 30_000);
      await eventually(async () => (await ctx.db.selectFrom('webhook_deliveries').select('id').where('state', '!=', 'succeeded').execute()).length === 0, 'every delivery to succeed');
      const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
      assert.equal(new Set(ids).size, EVENTS);
      assert.equal(receiver.requests.length, EVENTS, 'no attempt was sent twice');
      const rows = await ctx.db.selectFrom('webhook_deliveries').select(['attempt_count']).execute();
      assert.equal(rows.length, EVENTS);
      assert.ok(rows.every((r) => r.attempt_count === 1));
      assert.equal((await ctx.db.selectFrom('webhook_attempts').select('id').execute()).length, EVENTS);
      const emails = new Set(receiver.requests.map((r) => new URLSearchParams(r.body).get('email')));
      assert.equal(emails.size, EVENTS);
    });
  });
}
