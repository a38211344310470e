// `npm run bench [-- --duration 10 --connections 100 --licenses 10000 --only activate,file]`
// (`--only`: scenarios whose name contains one of the comma-separated words; `startup` or `workers` alone.)
// Runs a bare Fastify route and each Tessera scenario with autocannon in one run on this machine,
// and prints req/s, p50, p99 and each figure's ratio to the bare route (measured before and after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/bootstrap.js';
import type { Scenario } from './scenario.js';
import { measure, start, type Figure } from './measure.js';
import { workerFigures } from './workers.js';
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
const load = { duration, connections };

const only = args.only ? String(args.only).split(',').map((w) => w.trim()).filter(Boolean) : [];

async function main(): Promise<void> {
  // Start time and idle memory first, on a quiet machine, before any load scenario.
  const workersOnly = args.only === 'workers';
  if (only.length === 0 || only.some((w) => 'startup'.includes(w))) console.log(await startupFigures());
  if (args.only === 'startup') return;
  if (workersOnly) {
    console.log(await workerFigures({ ...load, licenses: Number(args.licenses) }));
    return;
  }
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
    figures.push(await measure('bare Fastify JSON route (before)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }, load));
    for (let i = 0; i < chosen.length; i++) figures.push(await measure(chosen[i]!.name, 'http://127.0.0.1:3901', requests[i]!, load));
    figures.push(await measure('bare Fastify JSON route (after)', 'http://127.0.0.1:3900', { method: 'GET', path: '/bare' }, load));
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
  // TESSERA_WORKERS=1 and 2, and the shared limit counters: a section of its own (bench/workers.ts).
  if (only.length === 0) console.log(await workerFigures({ ...load, licenses: Number(args.licenses) }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
