import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { settleUses } from '../../src/licenses/verify/use-log-store.js';
import { DIALECTS, createTestDatabase, startServer, type TestServer } from '../support/harness.js';
import { licensedSale, manage, verify } from './fixtures.js';

// On SQLite a verification's use is committed to license_use_log and folded into licenses.uses
// later (src/licenses/verify/tally.ts); PostgreSQL counts in place. Either way every answer and
// every read of uses is exact.

const logged = (s: TestServer) => s.ctx.db.selectFrom('license_use_log').selectAll().orderBy('seq').execute();
const storedUses = async (s: TestServer, licenseId: string) =>
  (await s.ctx.db.selectFrom('licenses').select('uses').where('external_id', '=', licenseId).executeTakeFirstOrThrow()).uses;
const licenseIdOf = async (s: TestServer, externalId: string) =>
  (await s.ctx.db.selectFrom('licenses').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;

for (const dialect of DIALECTS) {
  describe(`uses counted by verification [${dialect}]`, () => {
    it('are committed before the answer, and every read of uses (sales API, decrement) is exact', async () => {
      const s = await startServer(dialect);
      try {
        const { seller, product, sale, key } = await licensedSale(s);
        const params = { product_id: product.id, license_key: key };
        for (let i = 1; i <= 3; i++) assert.equal((await verify(s, params)).body.uses, i);

        const id = await licenseIdOf(s, sale.license_id);
        if (dialect === 'sqlite') {
          // Committed (durable) before the answers, one log row per batch; licenses.uses not touched yet.
          assert.deepEqual((await logged(s)).map((r) => JSON.parse(r.counts)), [{ [id]: 1 }, { [id]: 1 }, { [id]: 1 }]);
          assert.equal(await storedUses(s, sale.license_id), 0);
        } else {
          assert.deepEqual(await logged(s), []);
          assert.equal(await storedUses(s, sale.license_id), 3);
        }

        const sales = await s.client().get('/v2/sales', { query: { access_token: seller.token, product_id: product.id } });
        assert.equal(sales.status, 200);
        assert.equal(sales.body.sales[0].license_key, key);
        assert.deepEqual(await logged(s), [], 'reading sales folded the log');
        assert.equal(await storedUses(s, sale.license_id), 3);

        assert.equal((await verify(s, params)).body.uses, 4);
        const down = await manage(s, 'decrement_uses_count', seller.token, params);
        assert.equal(down.status, 200);
        assert.equal(down.body.uses, 3);
        assert.equal(await storedUses(s, sale.license_id), 3);
        assert.equal((await verify(s, params)).body.uses, 4);
      } finally {
        await s.close();
      }
    });

    it('two servers counting the same license, with folds in between, hand out consecutive counts', async () => {
      const database = await createTestDatabase(dialect);
      const a = await startServer(dialect, database.env);
      const b = await startServer(dialect, database.env);
      try {
        const { product, sale, key } = await licensedSale(a);
        const params = { product_id: product.id, license_key: key };
        const seen: number[] = [];
        for (let round = 0; round < 4; round++) {
          seen.push((await verify(a, params)).body.uses);
          seen.push((await verify(b, params)).body.uses);
          if (round === 1) await settleUses(a.ctx.db); // a folds rows b appended too
          if (round === 2) await settleUses(b.ctx.db);
        }
        assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8]);
        const parallel = await Promise.all([...Array(40)].map((_, i) => verify(i % 2 ? a : b, params)));
        assert.deepEqual(parallel.map((r) => r.body.uses).sort((x, y) => x - y), [...Array(40)].map((_, i) => 9 + i));
        await settleUses(b.ctx.db);
        assert.equal(await storedUses(a, sale.license_id), 48);
        const quiet = await verify(a, { ...params, increment_uses_count: 'false' });
        assert.equal(quiet.body.uses, 48);
      } finally {
        await a.close();
        await b.close();
        await database.drop();
      }
    });

    it('folds in the background while verifications go on, and never counts a use twice', async () => {
      // No fold delay: every counted batch schedules a fold on the next turn, so folds (and the
      // direct ones below) run between and during the bursts' batches.
      const s = await startServer(dialect, { TESSERA_LICENSE_USE_FOLD_DELAY_MS: '0' });
      try {
        const { tally } = s.ctx.licenseVerify;
        const { product, sale, key } = await licensedSale(s);
        const params = { product_id: product.id, license_key: key };
        const answers: number[] = [];
        for (let round = 0; round < 3; round++) {
          const [burst] = await Promise.all([Promise.all([...Array(60)].map(() => verify(s, params))), tally.fold()]);
          for (const res of burst) {
            assert.equal(res.status, 200);
            answers.push(res.body.uses);
          }
        }
        assert.deepEqual(answers.sort((x, y) => x - y), [...Array(180)].map((_, i) => i + 1));
        for (let fold = tally.scheduledFold(); fold; fold = tally.scheduledFold()) await fold;
        assert.deepEqual(await logged(s), [], 'folded without any reader asking');
        assert.equal(await storedUses(s, sale.license_id), 180);
        assert.equal((await verify(s, params)).body.uses, 181);
      } finally {
        await s.close();
      }
    });

    it('waits the configured delay before a background fold', async () => {
      const s = await startServer(dialect, { TESSERA_LICENSE_USE_FOLD_DELAY_MS: '3600000' });
      try {
        const { tally } = s.ctx.licenseVerify;
        const { product, sale, key } = await licensedSale(s);
        const params = { product_id: product.id, license_key: key };
        for (let i = 1; i <= 3; i++) assert.equal((await verify(s, params)).body.uses, i);
        if (dialect === 'sqlite') {
          assert.ok(tally.scheduledFold(), 'a fold is scheduled');
          assert.equal((await logged(s)).length, 3, 'not folded before the delay');
          assert.equal(await storedUses(s, sale.license_id), 0);
          await tally.fold(); // what the timer does once the delay is over
          assert.deepEqual(await logged(s), []);
        } else {
          assert.equal(tally.scheduledFold(), null, 'PostgreSQL counts in place: nothing to fold');
        }
        assert.equal(await storedUses(s, sale.license_id), 3);
        assert.equal((await verify(s, params)).body.uses, 4);
      } finally {
        await s.close();
      }
    });

    it('a server that stops folds what it logged, and a new one counts on from there', async () => {
      const database = await createTestDatabase(dialect);
      const first = await startServer(dialect, database.env);
      const { product, sale, key } = await licensedSale(first);
      const params = { product_id: product.id, license_key: key };
      try {
        for (let i = 0; i < 5; i++) await verify(first, params);
      } finally {
        await first.close();
      }
      const second = await startServer(dialect, database.env);
      try {
        assert.deepEqual(await logged(second), []);
        assert.equal(await storedUses(second, sale.license_id), 5);
        assert.equal((await verify(second, params)).body.uses, 6);
      } finally {
        await second.close();
        await database.drop();
      }
    });
  });
}
