// `npm run bench [-- --duration 10 --connections 100 --licenses 10000 --only NAME --prof]`
// Runs, in one run on this machine, a bare Fastify route (before and after), each Tessera scenario
// against the compiled server (dist/, as `npm start` runs it) and the peers' small bench servers
// (bench/servers/), all with autocannon, and prints one table: each scenario's throughput and p99
// as ratios to the bare route's in the same run. --prof writes a V8 CPU profile of the Tessera
// server to ./bench-profiles/ (summarise it with `node bench/profile-top.mjs FILE`).
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
import { getRunScenario, productsScenario, salesScenario, startPipelineScenario, tokenScenario } from './scenarios/api.js';
import { activateScenario, licenseFileScenario } from './scenarios/activations.js';
import { peerScenarios, type PeerServer } from './scenarios/peers.js';
import { startupFigures } from './startup.js';
import { workerFigures } from './workers.js';
// @ts-expect-error: plain JavaScript, no declarations
import { ensureBuilt } from '../scripts/build.mjs';

const scenarios: Scenario[] = [
  v2UserScenario,
  tokenScenario,
  introspectScenario,
  verifyScenario,
  productsScenario,
  salesScenario,
  startPipelineScenario,
  getRunScenario,
  activateScenario,
  licenseFileScenario,
];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    licenses: { type: 'string', default: '10000' },
    only: { type: 'string' },
    prof: { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
  strict: false,
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const only = typeof args.only === 'string' ? args.only : undefined;
/** --only takes comma-separated parts of scenario names. */
const picked = (name: string) => !only || only.split(',').some((part) => name.includes(part));

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
  /** The server process's CPU time (all threads) per answered request, µs. */
  cpuUs: number;
  goal?: number;
  note?: string;
}

const NODE = process.execPath; // npm scripts run the project's Node 24

/** Starts a server; it is ready when it says so over IPC or, given `readyUrl`, when that URL answers. */
function start(script: string, env: Record<string, string>, execArgv: string[] = [], readyUrl?: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execPath: NODE, execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    if (!readyUrl) return;
    const poll = () =>
      fetch(readyUrl)
        .then((res) => (res.ok ? resolve(child) : setTimeout(poll, 50)))
        .catch(() => (child.exitCode === null ? setTimeout(poll, 50) : undefined));
    poll();
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT'); // the Tessera bench server exits on SIGINT, so --cpu-prof writes its profile
  await exited;
}

/** CPU time of a process so far (user + system, all threads), µs; Linux /proc. */
function cpuUs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100); // clock ticks of 1/100 s
}

async function measure(name: string, base: string, request: BenchRequest, server: ChildProcess): Promise<Figure> {
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
  const cpuBefore = cpuUs(server.pid!);
  const r = await autocannon({ ...options, duration });
  const cpu = cpuUs(server.pid!) - cpuBefore;
  const responses: BenchResponses = {
    acknowledged: warm['2xx'] + r['2xx'],
    cutOff: warm.requests.sent - warm.requests.total + (r.requests.sent - r.requests.total),
  };
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, responses, okPerSecond: r['2xx'] / r.duration, cpuUs: cpu / Math.max(1, r.requests.total) };
}

async function main(): Promise<void> {
  // Start time and idle memory first, on a quiet machine, before any load scenario.
  if (!only || 'startup'.includes(only)) console.log(await startupFigures());
  if (only === 'startup') return;
  // TESSERA_WORKERS=1 and 2, and the shared limit counters: a section of its own (bench/workers.ts).
  if (only === 'workers' || !only) console.log(await workerFigures({ duration, connections, licenses: Number(args.licenses) }));
  if (only === 'workers') return;
  ensureBuilt(); // the servers run dist/
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  const env = {
    TESSERA_DATA_DIR: dataDir,
    TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '3901',
    // The token endpoint's limiter still counts every request; its limits are out of the way.
    TESSERA_OAUTH_TOKEN_LIMIT_PER_CLIENT: '1000000000',
    TESSERA_OAUTH_TOKEN_LIMIT_PER_IP: '1000000000',
    // start_pipeline is measured, not the runs: no worker takes CPU from the server.
    TESSERA_WORKER: '0',
  };
  const chosen = scenarios.filter((s) => picked(s.name));
  const peers = args['no-peers'] ? [] : peerScenarios.filter((p) => picked(p.name) || p.compareWith.some(picked));
  const ctx = await createContext(loadConfig(env));
  const requests: BenchRequest[] = [];
  for (const s of chosen) requests.push(await s.prepare({ ctx, args }));
  await ctx.close();

  const profiling = args.prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench-profiles')}`] : [];
  const bare = await start('bench/servers/bare.mjs', { PORT: '3900' });
  // What `npm start` runs: the bundled server (it exits cleanly on SIGINT, so --cpu-prof writes).
  const tessera = await start('dist/tessera.mjs', env, profiling, 'http://127.0.0.1:3901/healthz');
  const peerServers = new Map<PeerServer, { child: ChildProcess; base: string }>();
  const figures: Figure[] = [];
  try {
    let port = 3910;
    for (const server of new Set(peers.map((p) => p.server))) {
      const p = port++;
      peerServers.set(server, { child: await start(`bench/servers/${server}.mjs`, { PORT: String(p) }), base: `http://127.0.0.1:${p}` });
    }
    figures.push(await measure('bare Fastify JSON route (before)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }, bare));
    for (let i = 0; i < chosen.length; i++) {
      const f = await measure(chosen[i]!.name, 'http://127.0.0.1:3901', requests[i]!, tessera);
      f.goal = chosen[i]!.goal;
      figures.push(f);
    }
    for (const peer of peers) {
      const { base, child } = peerServers.get(peer.server)!;
      figures.push(await measure(peer.name, base, await peer.request(base), child));
    }
    figures.push(await measure('bare Fastify JSON route (after)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }, bare));
  } finally {
    await Promise.all([stop(bare), stop(tessera), ...[...peerServers.values()].map((s) => stop(s.child))]);
  }
  const check = await createContext(loadConfig(env));
  for (let i = 0; i < chosen.length; i++) {
    const f = figures[i + 1]!;
    if (chosen[i]!.verify) f.note = await chosen[i]!.verify!({ ctx: check, args }, f.responses);
  }
  await check.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const first = figures[0]!;
  const last = figures[figures.length - 1]!;
  const baseRps = (first.rps + last.rps) / 2;
  const baseP99 = Math.max(1, (first.p99 + last.p99) / 2);
  const baseCpu = (first.cpuUs + last.cpuUs) / 2;
  console.log(
    `\nautocannon: ${connections} connections, ${duration} s per scenario after a 2 s warm-up, Node ${process.version}, ` +
      `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}; bare route before/after: ${(first.rps / baseRps).toFixed(2)} / ${(last.rps / baseRps).toFixed(2)} of their mean`,
  );
  console.log('| scenario | throughput × bare | p99 × bare p99 | server CPU per request × bare | goal (throughput) | errors / non-2xx |');
  console.log('|---|---:|---:|---:|---|---:|');
  for (const f of figures.slice(1, -1)) {
    const ratio = f.rps / baseRps;
    const goal = f.goal === undefined ? '' : `≥ ${f.goal}× ${ratio >= f.goal ? 'met' : 'NOT met'}`;
    console.log(`| ${f.name} | ${ratio.toFixed(2)}× | ${(f.p99 / baseP99).toFixed(1)}× | ${(f.cpuUs / baseCpu).toFixed(1)}× | ${goal} | ${f.errors} / ${f.non2xx} |`);
  }
  for (const f of figures) if (f.note) console.log(`- ${f.name}: ${f.note}`);
  for (let i = 0; i < chosen.length; i++) {
    const unit = chosen[i]!.unit;
    const f = figures[i + 1]!;
    if (unit) console.log(`- ${unit}: ${(f.okPerSecond / baseRps).toFixed(2)}× the bare route's req/s (${f.name})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
