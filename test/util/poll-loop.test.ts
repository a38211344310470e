import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PollLoop } from '../../src/util/poll-loop.js';

/** Resolves on the next round's start: rounds signal through it. */
function rounds() {
  let count = 0;
  let waiting: { n: number; resolve: () => void }[] = [];
  return {
    get count() {
      return count;
    },
    ran() {
      count++;
      waiting = waiting.filter((w) => (w.n <= count ? (w.resolve(), false) : true));
    },
    until(n: number) {
      return n <= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
    },
  };
}

// An idle loop sleeps pollMs; a day here, so every round below was caused by a start, a kick or
// a round asking for more, never by the timer.
const DAY = 86_400_000;

describe('PollLoop', () => {
  it('runs a round at start, then sleeps; a kick wakes it at once; stop ends the sleep', async () => {
    const seen = rounds();
    const loop = new PollLoop(async () => (seen.ran(), false), () => DAY, (err) => assert.fail(String(err)));
    loop.start();
    loop.start(); // a second start is ignored: one loop
    await seen.until(1);
    loop.kick();
    await seen.until(2);
    await loop.stop();
    const after = seen.count;
    loop.kick(); // a stopped loop does not run
    await new Promise((r) => setImmediate(r));
    assert.equal(seen.count, after);
    assert.ok(after >= 2 && after <= 4, `rounds: ${after}`); // the kick's two short re-looks (20 and 200 ms) may run before stop
  });

  it('runs again at once while a round says there is more to do', async () => {
    const seen = rounds();
    let left = 5;
    const loop = new PollLoop(async () => (seen.ran(), --left > 0), () => DAY, (err) => assert.fail(String(err)));
    loop.start();
    await seen.until(5);
    await loop.stop();
    assert.equal(seen.count, 5);
    assert.equal(left, 0);
  });

  it('reports a failed round and goes on; stop waits for the round in flight', async () => {
    const errors: unknown[] = [];
    const seen = rounds();
    let release: () => void = () => undefined;
    const loop = new PollLoop(
      async () => {
        seen.ran();
        if (seen.count === 1) throw new Error('first round fails');
        await new Promise<void>((r) => (release = r));
        return false;
      },
      () => DAY,
      (err) => errors.push(err),
    );
    loop.start();
    await seen.until(1);
    loop.kick();
    await seen.until(2);
    assert.deepEqual(errors.map((e) => (e as Error).message), ['first round fails']);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits while a round is in flight');
    release();
    await stopping;
    assert.equal(stopped, true);
  });
});
