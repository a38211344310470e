import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DIALECTS, createTestDatabase, startServer, type TestServer } from '../support/harness.js';
import { licensedProduct, licenseRow, manage, newSeller, purchase, verify, type Seller } from './fixtures.js';

// Property: random interleavings of the License API's operations on one license agree with a
// simple model (its uses, which keys verify, disabled or not), through one server and through
// two servers on one database (each holds its own view cache and, on SQLite, its own view of the
// use log). Deterministic seed; small runs.

/** Whether rotate re-enables a disabled license (the model's one line to change with rotate). */
const ROTATE_ENABLES = true; // decision 10 (issue 13): rotation issues an enabled key
const GRACE_SECONDS = 3600; // never ends within a run

type Command =
  | { op: 'verify'; key: 'current' | 'grace' | 'dead'; increment: boolean; via: number }
  | { op: 'decrement'; via: number }
  | { op: 'rotate'; grace: boolean; via: number }
  | { op: 'disable'; via: number }
  | { op: 'enable'; via: number };

const command = (servers: number): fc.Arbitrary<Command> => {
  const via = fc.integer({ min: 0, max: servers - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('verify' as const), key: fc.constantFrom('current' as const, 'grace' as const, 'dead' as const), increment: fc.boolean(), via }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('decrement' as const), via }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('rotate' as const), grace: fc.boolean(), via }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('disable' as const), via }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('enable' as const), via }) },
  );
};

interface Model {
  uses: number;
  current: string;
  /** The previous key while its grace period lasts. */
  grace: string | null;
  /** Keys that no longer verify. */
  dead: string[];
  disabled: boolean;
}

async function check(servers: TestServer[], seller: Seller, productId: string, commands: Command[]): Promise<void> {
  const sale = await purchase(servers[0]!, seller, productId);
  const model: Model = { uses: 0, current: sale.license_key, grace: null, dead: [], disabled: false };
  const trace: string[] = [];
  for (const c of commands) {
    const s = servers[c.via]!;
    trace.push(JSON.stringify(c));
    const where = () => trace.join('\n');
    const ref = { product_id: productId, license_key: model.current };
    if (c.op === 'verify') {
      const key = c.key === 'current' ? model.current : c.key === 'grace' ? model.grace : model.dead.at(-1);
      if (!key) continue;
      const res = await verify(s, { product_id: productId, license_key: key, increment_uses_count: String(c.increment) });
      if (c.key === 'dead') {
        assert.equal(res.status, 404, where());
        assert.equal(res.body.message, 'That license does not exist for the provided product.', where());
      } else if (model.disabled) {
        assert.equal(res.status, 404, where());
        assert.equal(res.body.message, 'This license key has been disabled.', where());
      } else {
        if (c.increment) model.uses++;
        assert.equal(res.status, 200, `${where()}\n${JSON.stringify(res.body)}`);
        assert.equal(res.body.uses, model.uses, where());
        assert.equal(res.body.purchase.license_key, key, `${where()}: answered with the key it was asked with`);
        assert.equal(res.body.rotated === true, c.key === 'grace', where());
      }
    } else if (c.op === 'decrement') {
      const res = await manage(s, 'decrement_uses_count', seller.token, ref);
      model.uses = Math.max(0, model.uses - 1);
      assert.equal(res.status, 200, where());
      assert.equal(res.body.uses, model.uses, where());
    } else if (c.op === 'rotate') {
      const res = await manage(s, 'rotate', seller.token, c.grace ? { ...ref, grace_period: String(GRACE_SECONDS) } : ref);
      assert.equal(res.status, 200, `${where()}\n${JSON.stringify(res.body)}`);
      if (model.grace) model.dead.push(model.grace); // a new rotation ends an earlier grace period
      if (c.grace) model.grace = model.current;
      else {
        model.dead.push(model.current);
        model.grace = null;
      }
      model.current = res.body.purchase.license_key;
      if (ROTATE_ENABLES) model.disabled = false;
      assert.ok(![...model.dead, model.grace].includes(model.current), 'a fresh key');
      assert.equal(res.body.uses, model.uses, where());
    } else {
      const res = await manage(s, c.op, seller.token, ref);
      assert.equal(res.status, 200, where());
      model.disabled = c.op === 'disable';
    }
  }
  // Afterwards, on every server: each key verifies (or not) as the model says, and the stored uses match.
  for (const s of servers) {
    for (const key of [model.current, model.grace, ...model.dead]) {
      if (!key) continue;
      const res = await verify(s, { product_id: productId, license_key: key, increment_uses_count: 'false' });
      const verifies = !model.disabled && (key === model.current || key === model.grace);
      assert.equal(res.status, verifies ? 200 : 404, `${trace.join('\n')}\nfinal check of a ${key === model.current ? 'current' : key === model.grace ? 'grace' : 'dead'} key`);
      if (verifies) assert.equal(res.body.uses, model.uses);
    }
  }
  assert.equal((await licenseRow(servers[0]!, sale.license_id)).uses, model.uses, trace.join('\n'));
}

const ENV = { TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '1000000' };

for (const dialect of DIALECTS) {
  describe(`License engine against a model [${dialect}]`, () => {
    it('one server: 25 runs of up to 20 commands', async () => {
      const s = await startServer(dialect, ENV);
      try {
        const seller = await newSeller(s);
        const product = await licensedProduct(s, seller);
        await fc.assert(
          fc.asyncProperty(fc.array(command(1), { minLength: 1, maxLength: 20 }), (commands) => check([s], seller, product.id, commands)),
          { seed: 20261202, numRuns: 25, endOnFailure: true },
        );
      } finally {
        await s.close();
      }
    });

    it('two servers on one database: 20 runs of up to 20 commands, each through either', async () => {
      const database = await createTestDatabase(dialect);
      const a = await startServer(dialect, { ...ENV, ...database.env });
      const b = await startServer(dialect, { ...ENV, ...database.env });
      try {
        const seller = await newSeller(a);
        const product = await licensedProduct(a, seller);
        await fc.assert(
          fc.asyncProperty(fc.array(command(2), { minLength: 1, maxLength: 20 }), (commands) => check([a, b], seller, product.id, commands)),
          { seed: 20261203, numRuns: 20, endOnFailure: true },
        );
      } finally {
        await a.close();
        await b.close();
        await database.drop();
      }
    });
  });
}
