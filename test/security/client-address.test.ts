import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';

/**
 * Issue 11.11: which address a limiter counts under. With TESSERA_TRUST_PROXY the client used to
 * be the leftmost X-Forwarded-For entry, which the client writes itself; IPv6 clients got a
 * fresh window per address of their /64. Observed through the failed-verification limiter
 * (limit 3 here): wrong product ids cost no argon2 and count as failures.
 */
const fail = (s: TestServer, forwardedFor: string) =>
  s.client().post('/v2/licenses/verify', { form: { product_id: 'no-such-product', license_key: 'NOPE-NOPE' }, headers: { 'x-forwarded-for': forwardedFor } });

async function statuses(s: TestServer, forwarded: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const f of forwarded) out.push((await fail(s, f)).status);
  return out;
}

describeEachDialect(
  'TESSERA_TRUST_PROXY=1: one proxy, the client is the address it appended',
  (s) => {
    it('a client-written leftmost X-Forwarded-For buys no fresh window', async () => {
      const forged = [1, 2, 3, 4].map((i) => `198.51.100.${i}, 203.0.113.10`);
      assert.deepEqual(await statuses(s(), forged), [404, 404, 404, 429]);
      assert.equal((await fail(s(), '203.0.113.11')).status, 404, 'another client is not limited');
    });

    it('IPv6 clients are counted by their /64', async () => {
      const sameNetwork = ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff::3', '2001:db8:5:6::4'];
      assert.deepEqual(await statuses(s(), sameNetwork), [404, 404, 404, 429]);
      assert.equal((await fail(s(), '2001:db8:5:7::1')).status, 404, 'the next /64 is another client');
    });
  },
  { TESSERA_TRUST_PROXY: '1', TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '3' },
);

describeEachDialect(
  'TESSERA_TRUST_PROXY as a list of proxy addresses',
  (s) => {
    it('the client is the rightmost address that is not a listed proxy', async () => {
      // 127.0.0.1 (the socket) and 10.0.0.0/8 are proxies: 192.0.2.77 is the client, whatever it wrote before.
      const chains = [1, 2, 3, 4].map((i) => `198.51.100.${i}, 192.0.2.77, 10.1.2.3`);
      assert.deepEqual(await statuses(s(), chains), [404, 404, 404, 429]);
      assert.equal((await fail(s(), '192.0.2.78, 10.9.9.9')).status, 404);
    });
  },
  { TESSERA_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8', TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '3' },
);

describeEachDialect(
  'no TESSERA_TRUST_PROXY: X-Forwarded-For is ignored',
  (s) => {
    it('every request counts under the socket address', async () => {
      assert.deepEqual(await statuses(s(), ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']), [404, 404, 404, 429]);
    });
  },
  { TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '3' },
);

describe('TESSERA_TRUST_PROXY=true', () => {
  it('is refused at start-up', async () => {
    const { loadConfig } = await import('../../src/config.js');
    assert.throws(() => loadConfig({ TESSERA_TRUST_PROXY: 'true' }), /hop count/);
  });
});
