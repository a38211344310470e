import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomPooled } from '../../src/util/entropy.js';

describe('randomPooled (src/util/entropy.ts)', () => {
  it('gives each draw its own buffer of the asked size, across refills of the pool', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 400 }), (sizes) => {
        const draws = sizes.map((n) => randomPooled(n));
        draws.forEach((b, i) => assert.equal(b.length, sizes[i]));
        // Its own memory: changing one draw changes no other (a slice of the pool would).
        const before = draws.map((b) => Buffer.from(b));
        draws[0]!.fill(0xab);
        draws.slice(1).forEach((b, i) => assert.deepEqual(b, before[i + 1]));
      }),
      { numRuns: 50 },
    );
  });

  it('never hands the same bytes out twice: 20,000 draws of 16 bytes (five refills) are all different and not blank', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const hex = randomPooled(16).toString('hex');
      assert.notEqual(hex, '0'.repeat(32), 'a wiped piece was handed out');
      assert.ok(!seen.has(hex), 'a piece was handed out twice');
      seen.add(hex);
    }
  });

  it('looks uniform: each bit of 4,000 draws is set about half the time', () => {
    const counts = new Array<number>(64).fill(0);
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const b = randomPooled(8);
      for (let bit = 0; bit < 64; bit++) if (b[bit >> 3]! & (1 << (bit & 7))) counts[bit]!++;
    }
    // ±6 standard deviations of a fair coin over 4,000 draws: a stuck bit fails, chance never does.
    for (const c of counts) assert.ok(Math.abs(c - draws / 2) < 6 * Math.sqrt(draws / 4), `a bit was set ${c} times in ${draws}`);
  });

  it('draws over 64 bytes straight from randomBytes, at the asked size', () => {
    const a = randomPooled(65);
    const b = randomPooled(1000);
    assert.equal(a.length, 65);
    assert.equal(b.length, 1000);
    assert.notDeepEqual(a.subarray(0, 32), b.subarray(0, 32));
  });
});
