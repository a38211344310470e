import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newId } from '../../src/util/ids.js';

const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('newId (src/util/ids.ts)', () => {
  it('makes 20 URL-safe characters', () => {
    assert.match(newId(), /^[-0-9A-Z_a-z]{20}$/);
  });

  it('sorts ids of the same millisecond in the order they were made', () => {
    const now = Date.now() + 10_000;
    const ids = Array.from({ length: 5000 }, () => newId(now));
    for (let i = 1; i < ids.length; i++) assert.ok(cmp(ids[i - 1]!, ids[i]!) < 0, `${ids[i - 1]} then ${ids[i]}`);
  });

  it('keeps the order when the clock steps back, and a later millisecond sorts after', () => {
    const now = Date.now() + 20_000;
    const a = newId(now);
    const b = newId(now - 5000);
    const c = newId(now + 1);
    assert.ok(cmp(a, b) < 0 && cmp(b, c) < 0, [a, b, c].join(' '));
  });

  it('orders any sequence of clock readings strictly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 47 }), { minLength: 2, maxLength: 50 }), (clock) => {
        const ids = clock.map((t) => newId(t));
        return ids.every((id, i) => i === 0 || cmp(ids[i - 1]!, id) < 0);
      }),
    );
  });
});
