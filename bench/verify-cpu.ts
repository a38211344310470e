// `node --import tsx bench/verify-cpu.ts [--duration 8] [--licenses 10000] [--prof]`
// Where a verification's time goes, in figures that survive a noisy machine better than req/s:
// the server's CPU time per request (main thread and all threads, from /proc, Linux only) under
// the verify scenario's load, plus req/s and latency. --prof also writes a V8 CPU profile of the
// server to ./bench-profiles/ (open it in Chrome DevTools or any .cpuprofile viewer).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/bootstrap.js';
import { verifyScenario } from './scenarios/verify.js';
// @ts-expect-error: plain JavaScript, no declarations
import { ensureBuilt } from '../scripts/build.mjs';

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '8' }, licenses: { type: 'string', default: '10000' }, prof: { type: 'boolean', default: false } },
});

/** CPU ticks (1/100 s) per thread of a process. */
function threadTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks.set(tid, Number(fields[11]) + Number(fields[12])); // utime + stime
  }
  return ticks;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-verify-cpu-'));
const env = { TESSERA_DATA_DIR: dataDir, TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '3902' };
const ctx = await createContext(loadConfig(env));
const request = await verifyScenario.prepare({ ctx, args: { licenses: args.licenses } });
await ctx.close();

const profiling = args.prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench-profiles')}`] : [];
ensureBuilt();
const server = fork('dist/tessera.mjs', [], { execPath: process.execPath, execArgv: profiling, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
for (;;) {
  const up = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then((r) => r.ok, () => false);
  if (up) break;
  await new Promise((r) => setTimeout(r, 50));
}

let next = 0;
const bodies = request.bodies!;
const options = {
  url: `http://127.0.0.1:${env.PORT}${request.path}`,
  method: request.method,
  headers: request.headers,
  connections: 100,
  requests: [{ setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
};
await autocannon({ ...options, duration: 2 }); // warm-up
const before = threadTicks(server.pid!);
const result = await autocannon({ ...options, duration: Number(args.duration) });
const after = threadTicks(server.pid!);

const [mainThread] = after.keys();
const used = (tid: string) => after.get(tid)! - (before.get(tid) ?? 0);
const allThreads = [...after.keys()].reduce((sum, tid) => sum + used(tid), 0);
const perRequest = (ticks: number) => ((ticks * 10_000) / result.requests.total).toFixed(1);
console.log(`server CPU per request: main thread ${perRequest(used(mainThread!))} µs, all threads ${perRequest(allThreads)} µs`);
console.log(`${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx`);

server.kill('SIGINT'); // the server exits cleanly on SIGINT, so --cpu-prof writes its profile
await new Promise((resolve) => server.once('exit', resolve));
fs.rmSync(dataDir, { recursive: true, force: true });
