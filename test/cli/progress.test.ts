import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar, renderProgress } from '../../src/cli/progress.js';

describe('CLI progress bar', () => {
  it('shows rows done, the rate and the time left', () => {
    assert.equal(renderProgress('Importing', 1000, 4000, 2000, 8), 'Importing [##------] 1000/4000 rows  500 rows/s  ETA 6s');
    assert.equal(renderProgress('Importing', 500, 100_000, 1000, 8), 'Importing [--------] 500/100000 rows  500 rows/s  ETA 3m19s');
    assert.equal(renderProgress('Importing', 4000, 4000, 2000, 8), 'Importing [########] 4000/4000 rows  2000 rows/s  ETA 0s');
    assert.equal(renderProgress('Checking', 0, 10, 0, 4), 'Checking [----] 0/10 rows  0 rows/s  ETA --');
  });

  it('draws on a terminal at most every 100 ms (always the last row), then clears the line', () => {
    const out: string[] = [];
    let t = 0;
    const bar = progressBar({ isTTY: true, write: (s: string) => out.push(s) }, () => t);
    t = 50;
    bar.update('Importing', 1, 3);
    t = 100;
    bar.update('Importing', 2, 3); // within 100 ms of the last draw: skipped
    t = 120;
    bar.update('Importing', 3, 3); // the end is always drawn
    bar.end();
    assert.equal(out.length, 3);
    assert.match(out[0]!, /^\r\x1b\[2KImporting \[#{8}-{16}\] 1\/3 rows {2}20 rows\/s/);
    assert.match(out[1]!, /3\/3 rows {2}25 rows\/s {2}ETA 0s$/);
    assert.equal(out[2], '\r\x1b[2K');
  });

  it('counts the rate of each phase from the end of the previous one', () => {
    const out: string[] = [];
    let t = 0;
    const bar = progressBar({ isTTY: true, write: (s: string) => out.push(s) }, () => t);
    t = 1000;
    bar.update('Checking', 10, 10); // 10 rows/s over the first second
    t = 3000;
    bar.update('Importing', 100, 200); // 100 rows in the 2 s since checking ended
    assert.match(out[0]!, /10\/10 rows {2}10 rows\/s/);
    assert.match(out[1]!, /Importing .* 100\/200 rows {2}50 rows\/s {2}ETA 2s$/);
  });

  it('writes nothing when the stream is not a terminal (pipes, files, --json)', () => {
    const out: string[] = [];
    const bar = progressBar({ isTTY: false, write: (s: string) => out.push(s) });
    bar.update('Importing', 1, 1);
    bar.end();
    assert.deepEqual(out, []);
  });
});
