import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { OWASP_ARGON2ID, PasswordHasher } from '../../src/accounts/passwords.js';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';

describe('argon2 cost setting', () => {
  it("defaults to OWASP's argon2id parameters (19 MiB, 2 iterations, 1 lane)", () => {
    assert.deepEqual(loadConfig({}).passwordCost, { memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
    assert.deepEqual(OWASP_ARGON2ID, { memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  });
  it('reads TESSERA_ARGON2_MEMORY_KIB, _TIME_COST and _PARALLELISM', () => {
    const cost = loadConfig({ TESSERA_ARGON2_MEMORY_KIB: '65536', TESSERA_ARGON2_TIME_COST: '3', TESSERA_ARGON2_PARALLELISM: '4' }).passwordCost;
    assert.deepEqual(cost, { memoryKiB: 65_536, timeCost: 3, parallelism: 4 });
  });
  it('refuses values argon2 cannot run with, naming the variable', () => {
    assert.throws(() => loadConfig({ TESSERA_ARGON2_TIME_COST: '0' }), /TESSERA_ARGON2_TIME_COST/);
    assert.throws(() => loadConfig({ TESSERA_ARGON2_PARALLELISM: '0' }), /TESSERA_ARGON2_PARALLELISM/);
    assert.throws(() => loadConfig({ TESSERA_ARGON2_MEMORY_KIB: '16', TESSERA_ARGON2_PARALLELISM: '4' }), /TESSERA_ARGON2_MEMORY_KIB.*32/);
    assert.throws(() => loadConfig({ TESSERA_ARGON2_MEMORY_KIB: 'lots' }), /TESSERA_ARGON2_MEMORY_KIB/);
  });
  it('hashes at the configured cost and still verifies hashes made at another cost', async () => {
    const cheap = new PasswordHasher({ memoryKiB: 8, timeCost: 1, parallelism: 1 });
    const other = new PasswordHasher({ memoryKiB: 64, timeCost: 2, parallelism: 2 });
    const hash = await other.hash('long enough pw');
    assert.match(hash, /^\$argon2id\$v=19\$m=64,p=2,t=2\$/);
    assert.equal(await cheap.verify(hash, 'long enough pw'), true);
    assert.equal(await cheap.verify(hash, 'wrong password'), false);
    assert.equal(await cheap.verifyNothing('long enough pw'), false);
  });
});

describeEachDialect(
  'POST /api/users with TESSERA_ARGON2_* set',
  (s) => {
    describe('201', () => {
      it('stores a hash with the configured parameters, and the password logs in', async () => {
        const email = uniqueEmail();
        const res = await s().client().post('/api/users', { json: { email, password: 'long enough pw' } });
        assert.equal(res.status, 201);
        const row = await s().ctx.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
        assert.match(row.password_hash, /^\$argon2id\$v=19\$m=64,p=1,t=2\$/);
        const login = await s().client().post('/api/session', { json: { email, password: 'long enough pw' } });
        assert.equal(login.status, 200);
        const wrong = await s().client().post('/api/session', { json: { email, password: 'not the password' } });
        assert.equal(wrong.status, 401);
      });
    });
  },
  { TESSERA_ARGON2_MEMORY_KIB: '64', TESSERA_ARGON2_TIME_COST: '2' },
);
