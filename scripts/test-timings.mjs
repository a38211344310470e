// A node:test reporter for `node scripts/test.mjs --timings`: when the run ends, prints each test
// file's wall time (slowest first) and the run's total, so the slow files are the ones worked on.
// With TESSERA_SAVE_TEST_DURATIONS=<file> (`--save-durations`) it also writes every file's time
// there: scripts/test.mjs starts the slowest files first, so no long file starts last and runs alone.
import fs from 'node:fs';
import path from 'node:path';

export default async function* timings(source) {
  const rows = [];
  let total = null;
  for await (const event of source) {
    if (event.type !== 'test:summary') continue;
    if (event.data.file) rows.push({ ms: event.data.duration_ms, file: event.data.file, tests: event.data.counts.tests });
    else total = event.data;
  }
  rows.sort((a, b) => b.ms - a.ms);
  // Named as its source, test/x.test.ts (the event names the source-mapped file, or the compiled one).
  const sourceOf = (file) => path.relative(process.cwd(), file).replace(/^\.test-build\//, '').replace(/\.js$/, '.ts');
  yield '\nslowest test files (wall time, tests):\n';
  for (const row of rows.slice(0, 25)) yield `${(row.ms / 1000).toFixed(1).padStart(7)} s ${String(row.tests).padStart(5)}  ${sourceOf(row.file)}\n`;
  const sum = rows.reduce((s, r) => s + r.ms, 0);
  if (total) yield `${rows.length} files, ${total.counts.tests} tests: ${(total.duration_ms / 1000).toFixed(1)} s wall, ${(sum / 1000).toFixed(1)} s summed over files\n`;
  const out = process.env.TESSERA_SAVE_TEST_DURATIONS;
  if (out) {
    // Merged into what is recorded: a run of a few files updates only theirs.
    const before = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
    for (const r of rows) before[sourceOf(r.file)] = Math.round(r.ms / 100) / 10;
    const seconds = Object.fromEntries(Object.entries(before).filter(([f]) => fs.existsSync(f)).sort(([a], [b]) => (a < b ? -1 : 1)));
    fs.writeFileSync(out, JSON.stringify(seconds, null, 1) + '\n');
    yield `durations written to ${path.relative(process.cwd(), out)}\n`;
  }
}
