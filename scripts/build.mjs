// The compiled build: `tsc -p tsconfig.build.json` emits src/ into dist/, static files are copied
// next to the code that serves them, and esbuild bundles the server and the CLI into one file each
// (dist/tessera.mjs, dist/tessera-cli.mjs): one module to load instead of about 1,300 is most of
// what makes a start take well under a second. `ensureBuilt()` rebuilds only when something under src/ (or a
// tsconfig) changed since the last build, so `npm start`, `npm test` and the `tessera` CLI always
// run current code without a separate build command. Run directly: `node scripts/build.mjs [--force]`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_PASSWORDS_FILE, generateCommonPasswords } from './common-passwords.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const LOCK = path.join(ROOT, 'node_modules', '.tessera-build-lock');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => path.join(ROOT, f));
/** Copied as they are: everything under src/ that tsc does not compile. */
const isSource = (name) => /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts');

function walk(dir, visit) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    visit(full, e);
    if (e.isDirectory()) walk(full, visit);
  }
}

/** Newest modification among the inputs, directories included (a deleted file changes its folder). */
function newestInput() {
  let newest = fs.statSync(SRC).mtimeMs;
  walk(SRC, (full) => (newest = Math.max(newest, fs.statSync(full).mtimeMs)));
  for (const f of INPUTS) if (fs.existsSync(f)) newest = Math.max(newest, fs.statSync(f).mtimeMs);
  return newest;
}

export function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  // 1 ms of slack: timestamps set through utimes lose the sub-millisecond part.
  return newestInput() > fs.statSync(STAMP).mtimeMs + 1;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time per checkout: parallel test files and CLI calls wait for the first one. */
function withLock(fn) {
  for (let waited = 0; ; waited += 100) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 10 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (waited > 10 * 60_000) throw new Error(`another build holds ${LOCK}`);
      sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Removes dist files whose source was deleted, then copies the non-TypeScript files of src/. */
function syncAssets() {
  if (!fs.existsSync(DIST)) return;
  walk(DIST, (full, e) => {
    if (!e.isFile()) return;
    const rel = path.relative(DIST, full);
    const m = /^(.*)\.(js|js\.map|d\.ts)$/.exec(rel);
    if (!m || rel.startsWith('.')) return;
    const base = path.join(SRC, m[1]);
    if (!fs.existsSync(base + '.ts') && !fs.existsSync(base + '.tsx') && !fs.existsSync(path.join(SRC, rel))) fs.rmSync(full);
  });
  walk(SRC, (full, e) => {
    if (!e.isFile() || isSource(e.name)) return;
    const target = path.join(DIST, path.relative(SRC, full));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(full, target);
  });
}

/**
 * Packages left out of the bundles: native addons, and packages that read their own files or start
 * workers from them at run time (Swagger UI's static assets, pino's transports).
 */
const EXTERNAL = ['better-sqlite3', 'argon2', 'pg-native', '@fastify/swagger-ui', '@fastify/static', 'pino', 'pino-pretty', 'thread-stream'];

function bundle() {
  const require = createRequire(import.meta.url);
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error('esbuild is not installed: run `npm install` (with dev dependencies)');
  }
  for (const [entry, out] of [['main.js', 'tessera.mjs'], ['cli.js', 'tessera-cli.mjs']]) {
    esbuild.buildSync({
      entryPoints: [path.join(DIST, entry)],
      outfile: path.join(DIST, out),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: EXTERNAL,
      sourcemap: 'linked',
      logLevel: 'warning',
      // The bundled CommonJS packages call require(); an ES module has none of its own.
      banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" },
    });
  }
}

export function build({ quiet = false, onlyIfStale = false, strict = false } = {}) {
  return withLock(() => {
    if (onlyIfStale && !isStale()) return; // built by whoever held the lock before us
    const started = newestInput();
    if (!quiet) process.stderr.write('tessera: compiling src/ into dist/ …\n');
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!fs.existsSync(tsc)) throw new Error('dist/ is out of date and TypeScript is not installed: run `npm install` (with dev dependencies)');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
    // tsc emits JavaScript despite type errors (as tsx would run it): report them, keep going.
    // `npm test` and `npm run typecheck` fail on them; `node scripts/build.mjs --strict` too.
    if (r.status !== 0 && (strict || !fs.existsSync(path.join(DIST, 'main.js')))) throw new Error('the TypeScript build failed (see above)');
    if (r.status !== 0) process.stderr.write('tessera: type errors above; dist/ was emitted anyway (npm test fails on them)\n');
    // The breached-password list the server reads (committed; made again when missing).
    if (!fs.existsSync(COMMON_PASSWORDS_FILE)) generateCommonPasswords();
    syncAssets();
    bundle();
    fs.writeFileSync(STAMP, new Date().toISOString() + '\n');
    // An edit made while tsc ran keeps the build stale.
    const t = Math.min(started, Date.now()) / 1000;
    fs.utimesSync(STAMP, t, t);
  });
}

/** Builds when dist/ is missing or older than src/. Cheap when up to date (a few ms of stat calls). */
export function ensureBuilt(options) {
  if (isStale()) build({ ...options, onlyIfStale: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--force') || isStale()) build({ quiet: process.argv.includes('--quiet'), strict: process.argv.includes('--strict') });
  } catch (err) {
    process.stderr.write(`tessera: ${err.message}\n`);
    process.exit(1);
  }
}
