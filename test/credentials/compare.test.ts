import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeEqual } from '../../src/credentials/compare.js';

describe('safeEqual', () => {
  it('answers true for the same bytes, as strings or Buffers', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual(Buffer.from('abc'), 'abc'), true);
    assert.equal(safeEqual('abc', Buffer.from('abc')), true);
    assert.equal(safeEqual('ключ', 'ключ'), true);
  });

  it('answers false for other bytes or another length', () => {
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual('', 'a'), false);
  });

  it('never matches what is not a string or Buffer (a missing or repeated form field)', () => {
    assert.equal(safeEqual(undefined, ''), false);
    assert.equal(safeEqual(['abc'], 'abc'), false);
    assert.equal(safeEqual(null, 'null'), false);
  });
});
