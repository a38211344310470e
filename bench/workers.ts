// `npm run bench -- --only workers` (and the last section of a full `npm run bench`):
// verify and GET /v2/user with TESSERA_WORKERS=1 and 2 in the same run, as ratios to the bare
// route, with the server's CPU time per request (all its processes, from /proc, Linux only);
// then what the shared rate-limit counters cost on the failure path: failed verifications over
// HTTP (each writes its counter), and one counter write against the in-memory count it replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { generateLicenseKey } from '../src/licenses/key.js';
import { RateLimiter } from './memory-limiter.js';
import { SharedLimiter } from '../src/http/shared-limiter.js';
import { measure, start, type Figure } from './measure.js';
import type { BenchRequest } from './scenario.js';
import { v2UserScenario } from './scenarios/v2-user.js';
import { verifyScenario } from './scenarios/verify.js';

const PORT = '3903';
const BARE_PORT = '3904';

/** CPU ticks (1/100 s) of a process and every process below it (a cluster's primary and its workers). */
function treeTicks(pid: number): number {
  let ticks = 0;
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0; // gone
  }
  for (const tid of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) ticks += treeTicks(Number(child));
    } catch {
      // a thread ended meanwhile
    }
  }
  return ticks;
}

/** `npm start`'s entry (src/main.ts) with TESSERA_WORKERS=n; resolves once /readyz answers and every worker listens. */
async function startServer(env: Record<string, string>, workers: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env, TESSERA_WORKERS: String(workers) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`the server did not start: ${log}`);
    const listening = workers > 1 ? [...log.matchAll(/worker \d+ listening/g)].length : 1;
    const ready = await fetch(`http://127.0.0.1:${PORT}/readyz`).then((r) => r.ok, () => false);
    if (ready && listening >= workers) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Microseconds per call of `fn`, run `n` times one after another. */
async function perCall(n: number, fn: (i: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

/** One failure counted in memory (the limiter before issue 16) against the shared counter. */
async function counterCosts(ctx: AppContext): Promise<string[]> {
  const n = 2000;
  const deps = { db: ctx.db, dialect: ctx.dialect, keys: ctx.keys, clock: Date.now, capacity: 100_000, pruneSoon: () => undefined };
  const memory = new RateLimiter(1e9, 600_000);
  const shared = new SharedLimiter('bench_failures', 1e9, 600_000, deps);
  const login = new SharedLimiter('bench_login', 1e9, 600_000, deps);
  const inMemory = await perCall(n, () => memory.hit('203.0.113.7'));
  const failure = await perCall(n, () => shared.countFailure('203.0.113.7'));
  const spread = await perCall(n, (i) => shared.countFailure(`198.51.100.${i % 250}:${i}`));
  // A flood from one address: the failures of one turn of the event loop share one upsert.
  const floodStarted = process.hrtime.bigint();
  await Promise.all(Array.from({ length: n }, () => shared.countFailure('192.0.2.1')));
  const flood = Number(process.hrtime.bigint() - floodStarted) / 1000 / n;
  const rightPassword = await perCall(n, async () => (await login.reserve('happy@example.com')).release());
  const wrongPassword = await perCall(n, async () => (await login.reserve('wrong@example.com')).fail());
  return [
    `- a failure counted in memory (before): ${inMemory.toFixed(2)} µs; in the database (${ctx.dialect}, one upsert): ${failure.toFixed(0)} µs on one key, ${spread.toFixed(0)} µs on ${n} different keys, ${flood.toFixed(1)} µs each when ${n} arrive at once from one address`,
    `- a login's limiter: right password (one read, no write) ${rightPassword.toFixed(0)} µs, wrong password (read + upsert) ${wrongPassword.toFixed(0)} µs; both next to argon2's tens of milliseconds`,
  ];
}

export async function workerFigures(options: { duration: number; connections: number; licenses: number }): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-workers-'));
  const env = {
    TESSERA_DATA_DIR: dataDir,
    TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT,
    TESSERA_WORKER: '0',
    TESSERA_TRIGGERS: '0',
    // Every failed verification writes its counter: the limit is never reached.
    TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '1000000000',
  };
  const ctx = await createContext(loadConfig(env));
  const verify = await verifyScenario.prepare({ ctx, args: { licenses: String(options.licenses) } });
  const user = await v2UserScenario.prepare({ ctx, args: {} });
  const productId = new URLSearchParams(verify.bodies![0]!).get('product_id')!;
  const failing: BenchRequest = {
    method: 'POST',
    path: '/v2/licenses/verify',
    headers: verify.headers,
    bodies: Array.from({ length: 1000 }, () => new URLSearchParams({ product_id: productId, license_key: generateLicenseKey() }).toString()),
  };
  const costs = await counterCosts(ctx);
  await ctx.close();

  const scenarios: [string, BenchRequest][] = [
    ['POST /v2/licenses/verify (use counted)', verify],
    ['GET /v2/user (Bearer token)', user],
    ['POST /v2/licenses/verify, unknown key (404; counter written)', failing],
  ];
  const rows: { workers: number | null; figure: Figure; cpu: number | null }[] = [];
  const bare = await start('bench/servers/bare.mjs', { PORT: BARE_PORT });
  const bareRoute: BenchRequest = { method: 'GET', path: '/bare' };
  try {
    rows.push({ workers: null, figure: await measure('bare Fastify JSON route (before)', `http://127.0.0.1:${BARE_PORT}`, bareRoute, options), cpu: null });
    for (const workers of [1, 2]) {
      const server = await startServer(env, workers);
      try {
        for (const [name, request] of scenarios) {
          let ticks = 0;
          const figure = await measure(name, `http://127.0.0.1:${PORT}`, request, options, {
            before: () => (ticks = treeTicks(server.pid!)),
            after: () => (ticks = treeTicks(server.pid!) - ticks),
          });
          rows.push({ workers, figure, cpu: figure.total > 0 ? (ticks * 10_000) / figure.total : null });
        }
      } finally {
        await stop(server);
      }
    }
    rows.push({ workers: null, figure: await measure('bare Fastify JSON route (after)', `http://127.0.0.1:${BARE_PORT}`, bareRoute, options), cpu: null });
  } finally {
    bare.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const base = (rows[0]!.figure.rps + rows[rows.length - 1]!.figure.rps) / 2;
  const lines = [
    `\nTESSERA_WORKERS (SQLite; autocannon ${options.connections} connections, ${options.duration} s per scenario, on the same ${os.cpus().length} cores as the server)`,
    '| scenario | workers | req/s | p50 ms | p99 ms | ratio to bare | server CPU per request | errors / non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ workers, figure: f, cpu }) =>
      `| ${f.name} | ${workers ?? '–'} | ${Math.round(f.rps)} | ${f.p50} | ${f.p99} | ${(f.rps / base).toFixed(2)}× | ${cpu === null ? '–' : `${cpu.toFixed(0)} µs`} | ${f.errors} / ${f.non2xx} |`,
    ),
    'Shared rate-limit counters on the failure path (in-process, 2,000 calls each):',
    ...costs,
  ];
  return lines.join('\n');
}
