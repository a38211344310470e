import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, dayStamp, isoMicros, isoSeconds, isoTime, readableUtc, timeAgoInWords, utcDay } from '../../src/util/dates.js';

const at = Date.UTC(2024, 4, 1, 12, 34, 56, 789);

describe('dates', () => {
  it('writes each contract shape of a time', () => {
    assert.equal(isoTime(at), '2024-05-01T12:34:56.789Z');
    assert.equal(isoSeconds(at), '2024-05-01T12:34:56Z');
    assert.equal(isoMicros(at), '2024-05-01T12:34:56.789000Z');
    assert.equal(utcDay(at), '2024-05-01');
    assert.equal(utcDay(at + DAY_MS), '2024-05-02');
    assert.equal(readableUtc(isoTime(at)), '2024-05-01 12:34:56 UTC');
    assert.equal(readableUtc(isoSeconds(at)), '2024-05-01 12:34:56 UTC');
    assert.equal(dayStamp(at), '1 May 2024 12:34 PM');
    assert.equal(timeAgoInWords(at, at + 3 * DAY_MS), '3 days ago');
  });

  it('keeps a missing time missing', () => {
    assert.equal(isoTime(null), null);
    assert.equal(isoTime(undefined), null);
    assert.equal(isoSeconds(null), null);
    assert.equal(isoMicros(null), null);
  });

  it('rounds whole seconds down, never up', () => {
    assert.equal(isoSeconds(Date.UTC(2024, 11, 31, 23, 59, 59, 999)), '2024-12-31T23:59:59Z');
  });
});
