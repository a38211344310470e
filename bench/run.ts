// `npm run bench [-- --duration 10 --connections 100 --licenses 10000 --only activate,file]`
// (`--only`: scenarios whose name contains one of the comma-separated words; `startup` alone.)
// Runs a bare Fastify route and each Tessera scenario with autocannon in one run on this machine,
// and prints req/s, p50, p99 and each figure's ratio to the bare route (measured before and after).
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/bootstrap.js';
import type { BenchRequest, BenchResponses, Scenario } from './scenario.js';
import { introspectScenario } from './scenarios/introspect.js';
import { v2UserScenario } from './scenarios/v2-user.js';
import { verifyScenario } from './scenarios/verify.js';
import { startupFigures } from './startup.js';
import { activateScenario, licenseFileScenario } from './scenarios/activations.js';

const scenarios: Scenario[] = [v2UserScenario, verifyScenario, introspectScenario, activateScenario, licenseFileScenario];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    licenses: { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
  strict: false,
});
const duration = Number(args.duration);
const connections = Number(args.connections);

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** 2xx answers per second of the measured run (what a scenario's `unit` counts). */
  okPerSecond: number;
  errors: number;
  non2xx: number;
  responses: BenchResponses;
  note?: string;
}

function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function measure(name: string, base: string, request: BenchRequest): Promise<Figure> {
  let next = 0;
  const bodies = request.bodies;
  const options = {
    url: base + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    ...(bodies ? { requests: [{ setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }) }] } : {}),
  };
  const warm = await autocannon({ ...options, duration: 2 }); // warm-up
  const r = await autocannon({ ...options, duration });
  const responses: BenchResponses = {
    acknowledged: warm['2xx'] + r['2xx'],
    cutOff: warm.requests.sent - warm.requests.total + (r.requests.sent - r.requests.total),
  };
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, okPerSecond: r['2xx'] / r.duration, errors: r.errors + r.timeouts, non2xx: r.non2xx, responses };
}

const only = args.only ? String(args.only).split(',').map((w) => w.trim()).filter(Boolean) : [];

async function main(): Promise<void> {
  // Start time and idle memory first, on a quiet machine, before any load scenario.
  if (only.length === 0 || only.some((w) => 'startup'.includes(w))) console.log(await startupFigures());
  if (args.only === 'startup') return;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  const env = { TESSERA_DATA_DIR: dataDir, TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '3901' };
  const ctx = await createContext(loadConfig(env));
  const chosen = scenarios.filter((s) => only.length === 0 || only.some((w) => s.name.includes(w)));
  const requests = [];
  for (const s of chosen) requests.push(await s.prepare({ ctx, args }));
  await ctx.close();

  const bare = await start('bench/bare-server.ts', { PORT: '3900' });
  const tessera = await start('bench/tessera-server.ts', env);
  const figures: Figure[] = [];
  try {
    figures.push(await measure('bare Fastify JSON route (before)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }));
    for (let i = 0; i < chosen.length; i++) figures.push(await measure(chosen[i]!.name, 'http://127.0.0.1:3901', requests[i]!));
    figures.push(await measure('bare Fastify JSON route (after)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }));
  } finally {
    bare.kill();
    tessera.kill();
  }
  const check = await createContext(loadConfig(env));
  for (let i = 0; i < chosen.length; i++) {
    const f = figures[i + 1]!;
    if (chosen[i]!.verify) f.note = await chosen[i]!.verify!({ ctx: check, args }, f.responses);
  }
  await check.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const base = (figures[0]!.rps + figures[figures.length - 1]!.rps) / 2;
  console.log(`\nautocannon: ${connections} connections, ${duration} s per scenario, Node ${process.version}, ${os.cpus().length} cores`);
  console.log('| scenario | req/s | p50 ms | p99 ms | ratio to bare | errors / non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const f of figures) {
    console.log(`| ${f.name} | ${Math.round(f.rps)} | ${f.p50} | ${f.p99} | ${(f.rps / base).toFixed(2)}× | ${f.errors} / ${f.non2xx} |`);
  }
  for (const f of figures) if (f.note) console.log(`- ${f.name}: ${f.note}`);
  for (let i = 0; i < chosen.length; i++) {
    const unit = chosen[i]!.unit;
    const f = figures[i + 1]!;
    if (unit) console.log(`- ${unit}: ${Math.round(f.okPerSecond)} = ${(f.okPerSecond / base).toFixed(2)}× the bare route's ${Math.round(base)} req/s (${f.name})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
