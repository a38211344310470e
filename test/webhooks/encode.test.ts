import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody, formEncode, wireFormatFor } from '../../src/webhooks/encode.js';
import { retryDelayMs } from '../../src/webhooks/sender.js';
import { parseRailsForm } from './support.js';

describe('webhook wire encoding', () => {
  it('form-encodes nested values with Rails bracket keys, null as empty, in order', () => {
    const body = formEncode({ a: 1, card: { visual: null, type: 'visa' }, ids: ['x', 'y'], none: [], ok: true, 'odd [key]': 'v w', plan: { tier: { id: 'p', name: 'Pro & Co' } } });
    assert.equal(
      body,
      'a=1&card%5Bvisual%5D=&card%5Btype%5D=visa&ids%5B%5D=x&ids%5B%5D=y&none%5B%5D=&ok=true&odd%20%255Bkey%255D=v%20w&plan%5Btier%5D%5Bid%5D=p&plan%5Btier%5D%5Bname%5D=Pro%20%26%20Co',
    );
    assert.deepEqual(parseRailsForm([...new URLSearchParams(body).entries()]), {
      a: '1', card: { visual: '', type: 'visa' }, ids: ['x', 'y'], none: [''], ok: 'true', 'odd %5Bkey%5D': 'v w', plan: { tier: { id: 'p', name: 'Pro & Co' } },
    });
  });

  it('sends JSON to zapier.com hosts, as Gumroad does, and forms elsewhere', () => {
    assert.equal(wireFormatFor('https://hooks.zapier.com/hooks/catch/1/abc'), 'json');
    assert.equal(wireFormatFor('https://example.com/zapier.com'), 'form');
    assert.equal(encodeBody({ a: { b: null } }, 'json'), '{"a":{"b":null}}');
  });

  it('backs off 1, 2, 4 … minutes up to 6 hours, with ±20 % jitter', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, 0.5)), [60_000, 120_000, 240_000, 480_000]);
    assert.equal(retryDelayMs(30, 0.5), 6 * 3600_000);
    assert.equal(retryDelayMs(1, 0), 48_000);
    assert.equal(retryDelayMs(1, 0.999999), 72_000);
  });
});
