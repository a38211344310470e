// `npm test`: every test file under test/, in one node:test run. Each file runs its cases on
// SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL too. In CI PostgreSQL is mandatory.
import { spawnSync } from 'node:child_process';
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
  console.warn('TEST_POSTGRES_URL is not set: running the SQLite half only. Run scripts/start-postgres.sh and set\n' +
    'TEST_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres for the PostgreSQL half.');
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
// time in scripts/test-durations.json, the order the next runs start files in.
const FLAGS = ['--timings', '--save-durations'];
const saveDurations = process.argv.includes('--save-durations');
const timings = saveDurations || process.argv.includes('--timings');
const filter = process.argv.slice(2).filter((a) => !FLAGS.includes(a));
const DURATIONS = path.resolve('scripts/test-durations.json');
const known = fs.existsSync(DURATIONS) ? JSON.parse(fs.readFileSync(DURATIONS, 'utf8')) : {};
/** Slowest first (by the last recorded run; a new file counts as a few seconds): with files run
 * three at a time, a long file that started last would run alone at the end. */
const expected = (f) => known[f] ?? 3;
const files = find('test')
  .sort()
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort((a, b) => expected(b) - expected(a));
if (files.length === 0) {
  console.error(`no test file matches ${filter.join(' ')}`);
  process.exit(1);
}
compileTests();
const result = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    ...(timings ? [`--test-reporter=${path.resolve('scripts/test-timings.mjs')}`, '--test-reporter-destination=stdout'] : []),
    '--test-concurrency=3',
    '--test-timeout=180000',
    ...files.map((f) => path.join(OUT, f.replace(/\.ts$/, '.js'))),
  ],
  {
    stdio: 'inherit',
    // argon2id at its floor in every process the tests start (CLI runs included): real hashes, cheap.
    env: { ...(saveDurations ? { TESSERA_SAVE_TEST_DURATIONS: DURATIONS } : {}), TESSERA_ARGON2_MEMORY_KIB: '8', TESSERA_ARGON2_TIME_COST: '1', TESSERA_ARGON2_PARALLELISM: '1', ...process.env, NODE_ENV: 'test', TESSERA_BUILT_BY_TEST_RUN: '1',
      // V8's compile cache, shared by every test process (and the servers and CLIs they start): each
      // of the ~170 files loads about 1,300 modules, and compiles them once for the run instead of
      // once per file (about a quarter of a file's import time). Entries are keyed by source.
      NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.resolve('node_modules/.cache/tessera-test-v8') },
  },
);
process.exit(result.status ?? 1);
