import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { limiterKeyOf } from '../../src/http/client-address.js';
import { RateLimiter } from '../../src/http/rate-limiter.js';
import { parseTrustProxy } from '../../src/http/trust-proxy.js';
import { loadConfig } from '../../src/config.js';

describe('RateLimiter', () => {
  it('holds at most `capacity` windows, forgetting the least recently used first', () => {
    const limiter = new RateLimiter(5, 60_000, 3);
    for (let i = 0; i < 1000; i++) limiter.hit(`spoofed-${i}`, 1);
    assert.equal(limiter.size, 3);
    limiter.hit('a', 1);
    limiter.hit('b', 1);
    limiter.hit('c', 1);
    limiter.hit('a', 1); // used again: the most recent
    limiter.hit('d', 1); // evicts b, the least recently used
    assert.equal(limiter.size, 3);
    for (let i = 0; i < 4; i++) limiter.hit('a', 1);
    assert.ok(limiter.retryAfter('a', 1) > 0, 'a kept its count (6 ≥ 5)');
    limiter.hit('b', 1);
    assert.equal(limiter.retryAfter('b', 1), 0, 'b started over');
  });

  it('take reserves in one step; release gives a reservation back; windows end on the injected clock', () => {
    const limiter = new RateLimiter(2, 10_000);
    assert.equal(limiter.take('k', 0), 0);
    assert.equal(limiter.take('k', 0), 0);
    assert.equal(limiter.take('k', 5_000), 5, 'third attempt refused with the seconds left');
    limiter.release('k', 5_000);
    assert.equal(limiter.take('k', 5_000), 0, 'the released slot is free again');
    assert.equal(limiter.take('k', 9_999), 1);
    assert.equal(limiter.take('k', 10_000), 0, 'a new window');
  });

  it('N synchronous takes against a limit of L let exactly L through', () => {
    const limiter = new RateLimiter(10, 60_000);
    const through = Array.from({ length: 200 }, () => limiter.take('burst')).filter((wait) => wait === 0).length;
    assert.equal(through, 10);
  });
});

describe('limiterKeyOf', () => {
  it('keys IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    const cases: Array<[string | null, string]> = [
      ['203.0.113.7', '203.0.113.7'],
      ['::ffff:203.0.113.7', '203.0.113.7'],
      ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
      ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
      ['2001:0DB8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      [null, 'unknown'],
      ['not-an-address', 'not-an-address'],
    ];
    for (const [ip, key] of cases) assert.equal(limiterKeyOf(ip), key, String(ip));
    assert.notEqual(limiterKeyOf('2001:db8:1:2::1'), limiterKeyOf('2001:db8:1:3::1'), 'another /64 is another client');
  });
});

describe('TESSERA_TRUST_PROXY', () => {
  it('reads off, a hop count, or a comma list of addresses and CIDRs', () => {
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy(''), false);
    assert.equal(parseTrustProxy('0'), false);
    assert.equal(parseTrustProxy('false'), false);
    assert.equal(parseTrustProxy('1'), 1, '1 keeps meaning one proxy');
    assert.equal(parseTrustProxy('2'), 2);
    assert.deepEqual(parseTrustProxy('10.0.0.0/8, 192.168.1.5,2001:db8::/32, loopback'), ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32', 'loopback']);
    assert.deepEqual(loadConfig({ TESSERA_TRUST_PROXY: '127.0.0.1' }).trustProxy, ['127.0.0.1']);
  });

  it('refuses `true` (it would trust the client-written leftmost address) and anything unreadable', () => {
    for (const bad of ['true', 'yes', '10.0.0.0/33', '10.0.0/8', '::1/129', 'proxy.example', '1.2.3.4/8/9', '99', ',']) {
      assert.throws(() => parseTrustProxy(bad), /TESSERA_TRUST_PROXY/, bad);
    }
    assert.throws(() => loadConfig({ TESSERA_TRUST_PROXY: 'true' }), /TESSERA_TRUST_PROXY/);
  });
});
