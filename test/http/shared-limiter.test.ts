import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { SharedLimiter, pruner, takeAll, takeBatch, type TakeBatch } from '../../src/http/shared-limiter.js';
import { createTestDatabase, DIALECTS, TEST_SECRET } from '../support/harness.js';

/**
 * Issue 16.2: limits counted in the database (rate_limit_counters). Two contexts on one database
 * stand for two nodes; each limiter pair below shares a name, so they count against one number.
 * The clock is injected: windows are aligned to multiples of their length.
 */
for (const dialect of DIALECTS) {
  describe(`SharedLimiter: two nodes on one database [${dialect}]`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let a: AppContext & { close(): Promise<void> };
    let b: AppContext & { close(): Promise<void> };
    let now = 10_000_000;
    let names = 0;
    before(async () => {
      database = await createTestDatabase(dialect);
      const env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
      a = await createContext(loadConfig(env));
      b = await createContext(loadConfig(env));
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await database?.drop();
    });

    /**
     * The same limiter on both nodes (a fresh name per test, so tests do not share counts); with
     * `batches`, each node's takes go through its own group commit, as on SQLite in production.
     */
    const pair = (limit: number, windowMs = 60_000, batches?: readonly [TakeBatch, TakeBatch]) => {
      const name = `test_${++names}`;
      const on = (ctx: AppContext, takes?: TakeBatch) =>
        new SharedLimiter(name, limit, windowMs, { db: ctx.db, dialect: ctx.dialect, keys: ctx.keys, clock: () => now, capacity: 100, pruneSoon: () => undefined, takes });
      return [on(a, batches?.[0]), on(b, batches?.[1])] as const;
    };
    const rows = (name?: string) => a.db.selectFrom('rate_limit_counters').selectAll().$if(name !== undefined, (q) => q.where('limiter', '=', name!)).execute();

    it('reserve: failures on both nodes add up; the N+1-th attempt is refused on either, even a right one', async () => {
      const [onA, onB] = pair(4);
      for (const node of [onA, onB, onA, onB]) {
        const attempt = await node.reserve('buyer@example.com');
        assert.equal(attempt.wait, 0);
        await attempt.fail();
      }
      for (const node of [onA, onB]) {
        const refused = await node.reserve('buyer@example.com');
        assert.ok(refused.wait > 0 && refused.wait <= 60, `refused for the rest of the window (${refused.wait} s)`);
      }
      assert.equal((await onA.reserve('other@example.com')).wait, 0, 'another key is not affected');
      const stored = await rows(onA.name);
      assert.equal(stored.find((r) => r.hits === 4)?.window_start, Math.floor(now / 60_000) * 60_000);
      assert.ok(stored.every((r) => !r.key.includes('@')), 'keys are stored as HMACs, never as the email');
    });

    it('reserve: a right answer writes nothing, and clears earlier failures (a write only then)', async () => {
      const [onA, onB] = pair(3);
      const ok = await onA.reserve('k');
      await ok.clear();
      assert.deepEqual(await rows(onA.name), [], 'no failure, no row');
      await (await onA.reserve('k')).fail();
      await (await onB.reserve('k')).fail();
      assert.equal((await rows(onA.name))[0]!.hits, 2);
      await (await onB.reserve('k')).clear();
      assert.deepEqual(await rows(onA.name), [], 'the success on B cleared what both counted');
      const released = await onA.reserve('k');
      released.release();
      assert.deepEqual(await rows(onA.name), [], 'a released attempt counts nothing');
    });

    it('reserve: an attempt failing is still counted while its failure is being written', { skip: dialect !== 'postgres' && 'needs a row lock another connection can hold' }, async () => {
      const [onA] = pair(3);
      await (await onA.reserve('slow')).fail();
      const [first, second] = [await onA.reserve('slow'), await onA.reserve('slow')];
      assert.deepEqual([first.wait, second.wait], [0, 0], 'one stored failure and two in flight: at the limit of 3');
      let writing!: Promise<void>;
      let late!: Awaited<ReturnType<typeof onA.reserve>>;
      // Another connection holds the counter's row: the failure's upsert waits, the count reads 1.
      await b.db.transaction().execute(async (trx) => {
        await trx.selectFrom('rate_limit_counters').select('hits').where('limiter', '=', onA.name).forUpdate().execute();
        writing = first.fail();
        late = await onA.reserve('slow');
      });
      await writing;
      assert.ok(late.wait > 0, 'refused: the failure being written still counts as in flight');
      second.release();
      assert.equal((await rows(onA.name))[0]!.hits, 2);
    });

    it('reserve: a parallel burst on one node lets at most the limit reach the check', async () => {
      const [onA] = pair(5);
      const attempts = await Promise.all(Array.from({ length: 60 }, () => onA.reserve('burst')));
      const through = attempts.filter((r) => r.wait === 0);
      assert.ok(through.length >= 1 && through.length <= 5, `${through.length} reserved`);
      await Promise.all(through.map((r) => r.fail()));
      assert.equal((await onA.reserve('burst')).wait > 0, through.length === 5);
    });

    it('countFailure: the failure that goes over the limit is told to wait, on whichever node; the other node learns it', async () => {
      const [onA, onB] = pair(3);
      assert.equal(onB.blockedFor('203.0.113.7'), 0);
      for (const node of [onA, onB, onA]) assert.equal(await node.countFailure('203.0.113.7'), 0);
      assert.ok(onA.blockedFor('203.0.113.7') > 0, 'A counted the third: it knows at once');
      assert.ok((await onB.countFailure('203.0.113.7')) > 0, 'the fourth failure, on B, is over the limit');
      assert.ok(onB.blockedFor('203.0.113.7') > 0);
      // A third node learns it from the table, within a second of its first look.
      const onC = new SharedLimiter(onA.name, 3, 60_000, { db: b.db, dialect: b.dialect, keys: b.keys, clock: () => now, capacity: 100, pruneSoon: () => undefined });
      assert.equal(onC.blockedFor('203.0.113.7'), 0, 'nothing known before the first look');
      // The look is one query in the background; wait for it (bounded), not for a second to pass.
      for (let i = 0; i < 400 && onC.blockedFor('203.0.113.7') === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(onC.blockedFor('203.0.113.7') > 0, 'the look at the table found the key at the limit');
    });

    it('countFailure: a flood from one address in one turn is one upsert, each failure told its own place', async () => {
      const [onA] = pair(3);
      const waits = await Promise.all(Array.from({ length: 10 }, () => onA.countFailure('192.0.2.1')));
      assert.deepEqual(waits.map((w) => w > 0), [false, false, false, true, true, true, true, true, true, true]);
      assert.deepEqual((await rows(onA.name)).map((r) => r.hits), [10]);
    });

    it('take: of a burst split across both nodes at most the limit is counted; giveBack frees one; a new window starts over', async () => {
      const [onA, onB] = pair(7, 10_000);
      const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? onA : onB).take('client-1')));
      assert.equal(waits.filter((w) => w === 0).length, 7);
      assert.ok(waits.filter((w) => w > 0).every((w) => w <= 10));
      await onB.giveBack('client-1');
      assert.equal(await onB.take('client-1'), 0, 'the slot given back is free again');
      assert.ok((await onB.take('client-1')) > 0);
      now += 10_000;
      assert.equal(await onB.take('client-1'), 0, 'the next window');
      now -= 10_000;
    });

    it('take, group-committed: a burst in one turn on both nodes counts exactly the limit, each answered after its batch', async () => {
      const batches = [takeBatch(a.db, a.dialect), takeBatch(b.db, b.dialect)] as const;
      const [onA, onB] = pair(7, 10_000, batches);
      const pending = Array.from({ length: 40 }, (_, i) => (i % 2 ? onA : onB).take('client-1'));
      assert.equal(batches[0].depth + batches[1].depth, 40, 'every take waits for a batch: none answered before its commit');
      const waits = await Promise.all(pending);
      assert.equal(waits.filter((w) => w === 0).length, 7);
      assert.ok(waits.filter((w) => w > 0).every((w) => w > 0 && w <= 10));
      assert.deepEqual((await rows(onA.name)).map((r) => r.hits), [7]);
      assert.ok((await onB.take('client-1')) > 0, 'refused from memory now, without a query');
      await Promise.all(batches.map((batch) => batch.idle()));
    });

    it('takeAll: both keys are counted or neither; a refused second key gives the first back in the same transaction', async () => {
      for (const batches of [undefined, [takeBatch(a.db, a.dialect), takeBatch(b.db, b.dialect)] as const]) {
        const [ipOnA, ipOnB] = pair(3, 60_000, batches);
        const [clientOnA] = pair(1, 60_000, batches);
        assert.equal(await takeAll([[ipOnA, '198.51.100.7'], [clientOnA, 'app-1']]), 0);
        const wait = await takeAll([[ipOnB, '198.51.100.7'], [clientOnA, 'app-1']]);
        assert.ok(wait > 0 && wait <= 60, `refused by the client's limit (${wait} s)`);
        assert.deepEqual((await rows(ipOnA.name)).map((r) => r.hits), [1], "the address's count was given back");
        assert.deepEqual((await rows(clientOnA.name)).map((r) => r.hits), [1]);
        assert.equal(await takeAll([[ipOnB, '198.51.100.7'], [clientOnA, 'app-2']]), 0, 'another client goes through');
        assert.equal(await takeAll([[ipOnA, '198.51.100.7']]), 0);
        // The address is at its limit now: refused there, the client is not counted at all.
        assert.ok((await takeAll([[ipOnA, '198.51.100.7'], [clientOnA, 'app-3']])) > 0);
        assert.deepEqual((await rows(clientOnA.name)).map((r) => r.hits).sort(), [1, 1]);
        assert.deepEqual((await rows(ipOnA.name)).map((r) => r.hits), [3]);
      }
    });

    it('reset: forgets the count on every node', async () => {
      const [onA, onB] = pair(1);
      await (await onA.reserve('reset-me')).fail();
      assert.ok((await onB.reserve('reset-me')).wait > 0);
      await onB.reset('reset-me');
      assert.equal((await onA.reserve('reset-me')).wait, 0);
    });

    it('the pruner deletes ended windows, a minute after it last looked', async () => {
      const [onA] = pair(5, 1000);
      await onA.countFailure('old');
      const name = onA.name;
      assert.equal((await rows(name)).length, 1);
      let clock = now;
      const prune = pruner(a.db, () => clock);
      prune();
      clock = now + 60_000;
      prune();
      for (let i = 0; i < 100 && (await rows(name)).length > 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(await rows(name), []);
    });
  });
}
