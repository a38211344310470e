// `npm test`: every test file under test/, dealt to a few node:test shard processes. Each file runs
// its cases on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL too. In CI PostgreSQL is mandatory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureBuilt } from './build.mjs';

// `node scripts/test.mjs` typed by hand runs the machine's Node (20 here); the project's Node 24
// (node_modules/.bin/node, what npm scripts use) runs the tests: better-sqlite3 13 needs it.
if (Number(process.versions.node.split('.')[0]) < 22) {
  const own = path.resolve('node_modules/.bin/node');
  if (!fs.existsSync(own)) {
    console.error(`Node ${process.version} is too old and node_modules/.bin/node is missing: run npm install first.`);
    process.exit(1);
  }
  process.exit(spawnSync(own, process.argv.slice(1), { stdio: 'inherit' }).status ?? 1);
}

function find(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
  );
}

if (!process.env.TEST_POSTGRES_URL) {
  if (process.env.CI) {
    console.error('TEST_POSTGRES_URL is not set: CI must run the suite on PostgreSQL too (see .ci/run).');
    process.exit(1);
  }
  console.warn('TEST_POSTGRES_URL is not set: running the SQLite half only. For the PostgreSQL half, run\n' +
    'scripts/start-postgres.sh and export the TEST_POSTGRES_URL it prints last.');
}

// The CLI tests run bin/tessera.mjs, which runs the compiled code: compile once, before any file starts.
ensureBuilt();

/**
 * The test files, src/ and packages/ as plain JavaScript under .test-build/ (the same esbuild transform tsx
 * applies, made once for the run instead of through tsx's loader hooks in each of the ~160 test
 * processes: that halves what a test file pays before its first case). Files other than TypeScript
 * (static assets, certificates) are copied beside them. Types are checked by `tsc --noEmit`, which
 * `npm test` runs first.
 */
const OUT = path.resolve('.test-build');
function compileTests() {
  const esbuild = createRequire(import.meta.url)('esbuild');
  fs.rmSync(OUT, { recursive: true, force: true });
  const all = ['src', 'test', 'packages'].flatMap(function walk(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  });
  const sources = all.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  esbuild.buildSync({
    entryPoints: sources,
    outdir: OUT,
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
  for (const f of all) {
    if (sources.includes(f) || f.endsWith('.d.ts')) continue;
    fs.mkdirSync(path.join(OUT, path.dirname(f)), { recursive: true });
    fs.copyFileSync(f, path.join(OUT, f));
  }
}

// `--timings` prints the slowest files at the end; `--save-durations` also records every file's
// time in scripts/test-durations.json, what the next runs size the shards by.
const FLAGS = ['--timings', '--save-durations'];
const saveDurations = process.argv.includes('--save-durations');
const timings = saveDurations || process.argv.includes('--timings');
const filter = process.argv.slice(2).filter((a) => !FLAGS.includes(a));
const DURATIONS = path.resolve('scripts/test-durations.json');
const known = fs.existsSync(DURATIONS) ? JSON.parse(fs.readFileSync(DURATIONS, 'utf8')) : {};
/** By the last recorded run; a new file counts as a few seconds. */
const expected = (f) => Math.max(known[f] ?? 3, 0.1);
const files = find('test')
  .sort()
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort((a, b) => expected(b) - expected(a));
if (files.length === 0) {
  console.error(`no test file matches ${filter.join(' ')}`);
  process.exit(1);
}
compileTests();

/**
 * Shards: SHARDS test processes, each running its share of the files one after another in one
 * process (`--test-isolation=none`), instead of one process per file. A file's ~1,300 modules are
 * then loaded once per shard, not once per file (about half a second of CPU each), V8 optimises the
 * server's code once per shard instead of once per file (a short-lived process runs most of it
 * unoptimised: measured, each extra shard costs several seconds of CPU), and what the files build
 * at first use (compiled schemas, the migrated template databases) is built once per shard. Files
 * are dealt slowest first to the shard with the least work (by the recorded durations), so the
 * shards end together. More shards than cores: a shard waiting on a browser, a child process or
 * PostgreSQL leaves the CPU to another.
 */
const SHARDS = Math.max(1, Math.min(files.length, Number(process.env.TESSERA_TEST_SHARDS) || 4));
const shards = Array.from({ length: SHARDS }, () => ({ files: [], load: 0 }));
for (const f of files) {
  const shard = shards.reduce((a, b) => (b.load < a.load ? b : a));
  shard.files.push(f);
  shard.load += expected(f);
}
const REPORTS = fs.mkdtempSync(path.join(OUT, '.reports-'));
const env = {
  ...(saveDurations ? { TESSERA_SAVE_TEST_DURATIONS: DURATIONS } : {}),
  // argon2id at its floor in every process the tests start (CLI runs included): real hashes, cheap.
  TESSERA_ARGON2_MEMORY_KIB: '8', TESSERA_ARGON2_TIME_COST: '1', TESSERA_ARGON2_PARALLELISM: '1',
  ...process.env, NODE_ENV: 'test', TESSERA_BUILT_BY_TEST_RUN: '1',
  // V8's compile cache, shared by every test process (and the servers and CLIs they start): the
  // modules each shard loads are compiled once for the run. Entries are keyed by source.
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.resolve('node_modules/.cache/tessera-test-v8'),
};
const started = Date.now();
function runShard(shard, n) {
  return new Promise((resolve) => {
    const report = path.join(REPORTS, `shard-${n}.json`);
    const shardStarted = Date.now();
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        // node:test's async hook off (scripts/test-shard-preload.mjs says why and how to keep it).
        '--expose-internals',
        `--import=${path.resolve('scripts/test-shard-preload.mjs')}`,
        // TESSERA_TEST_CPU_PROF=<dir>: a V8 CPU profile of each shard (where the suite's time goes).
        ...(process.env.TESSERA_TEST_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.TESSERA_TEST_CPU_PROF)}`] : []),
        '--test',
        '--test-isolation=none',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${path.resolve('scripts/test-timings.mjs')}`,
        `--test-reporter-destination=${report}`,
        '--test-timeout=180000',
        ...shard.files.map((f) => path.join(OUT, f.replace(/\.ts$/, '.js'))),
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // A shard's report is printed whole when it ends, so the shards' lines do not interleave.
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('close', (code, signal) => {
      const text = Buffer.concat(output).toString();
      const took = ((Date.now() - shardStarted) / 1000).toFixed(1);
      process.stdout.write(`\n── shard ${n}/${SHARDS}: ${shard.files.length} files, ${took} s ${'─'.repeat(40)}\n${text}`);
      let parsed = null;
      try {
        parsed = JSON.parse(fs.readFileSync(report, 'utf8'));
      } catch {
        // the shard died before its reporter wrote (its output above says why)
      }
      resolve({ ok: code === 0 && parsed !== null, code, signal, report: parsed, shard: n });
    });
  });
}
const results = await Promise.all(shards.filter((shard) => shard.files.length > 0).map((shard, i) => runShard(shard, i + 1)));
const wall = (Date.now() - started) / 1000;
fs.rmSync(REPORTS, { recursive: true, force: true });

// Named as its source, test/x.test.ts (events name the source-mapped file, or the compiled one).
const sourceOf = (file) => path.relative(process.cwd(), file).replace(/^\.test-build\//, '').replace(/\.js$/, '.ts');
const rows = results.flatMap((r) => Object.entries(r.report?.files ?? {}).map(([file, row]) => ({ file: sourceOf(file), ...row })));
const counts = {};
for (const r of results) for (const [k, v] of Object.entries(r.report?.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
if (timings) {
  rows.sort((a, b) => b.ms - a.ms);
  console.log('\nslowest test files (wall time, tests):');
  for (const row of rows.slice(0, 25)) console.log(`${(row.ms / 1000).toFixed(1).padStart(7)} s ${String(row.tests).padStart(5)}  ${row.file}`);
}
if (saveDurations) {
  // Merged into what is recorded: a run of a few files updates only theirs.
  const before = fs.existsSync(DURATIONS) ? JSON.parse(fs.readFileSync(DURATIONS, 'utf8')) : {};
  for (const r of rows) before[r.file] = Math.round(r.ms / 100) / 10;
  const seconds = Object.fromEntries(Object.entries(before).filter(([f]) => fs.existsSync(f)).sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.writeFileSync(DURATIONS, JSON.stringify(seconds, null, 1) + '\n');
  console.log(`durations written to ${path.relative(process.cwd(), DURATIONS)}`);
}
const failed = results.filter((r) => !r.ok);
console.log(
  `\n${files.length} files in ${SHARDS} shards, ${counts.tests ?? 0} tests: ${counts.passed ?? 0} passed, ${counts.failed ?? 0} failed, ` +
    `${(counts.skipped ?? 0) + (counts.todo ?? 0)} skipped or todo; ${wall.toFixed(1)} s wall`,
);
for (const r of failed) console.log(`shard ${r.shard} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`}${r.report ? '' : ', no report'}): see its output above`);
process.exit(failed.length === 0 ? 0 : 1);
