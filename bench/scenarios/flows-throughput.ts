// How many runs per second one flow worker completes for a one-step flow.
//   node --import tsx bench/scenarios/flows-throughput.ts [--runs 2000] [--concurrency 8] [--step delay|send_email]
// SQLite in a temp folder by default; DATABASE_URL=postgres://… (+ TESSERA_SECRET) measures PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/bootstrap.js';
import { CLI_ACTOR } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { setLimits } from '../../src/flows/limits.js';
import { createFlow } from '../../src/flows/service.js';
import { startRun } from '../../src/flows/start-run.js';
import { FlowWorker } from '../../src/flows/worker.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' }, step: { type: 'string', default: 'delay' } } });
const runs = Number(args.runs);
const STEPS: Record<string, object> = {
  delay: { id: 'noop', type: 'delay', ms: 0 },
  send_email: { id: 'mail', type: 'send_email', to: 'buyer@example.com', subject: 'Hi', text: 'Thanks' },
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-flows-bench-'));
const ctx = await createContext(loadConfig({ TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz', ...process.env, TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
const user = await createUser(ctx, { email: `flows-bench-${Date.now()}@example.com`, password: 'bench password' }, CLI_ACTOR);
const owner = { type: 'user' as const, id: user.id };
await setLimits(ctx, owner, { maxConcurrent: 1000, maxQueued: runs + 1 });
const flow = await createFlow(ctx, user.id, { definition: { name: 'One step', steps: [STEPS[String(args.step)]] } }, CLI_ACTOR);
for (let i = 0; i < runs; i++) await startRun(ctx, { owner, flowId: flow.id, userId: user.id, apiKeyId: null, inputs: {} });

const worker = new FlowWorker(ctx, { error: (d, m) => console.error(m, d), warn: (d, m) => console.warn(m, d) }, { concurrency: Number(args.concurrency), pollMs: 5 });
const started = performance.now();
await worker.start();
for (;;) {
  const row = await ctx.db.selectFrom('flow_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('flow_id', '=', flow.id).where('state', '=', 'DONE').executeTakeFirstOrThrow();
  if (Number(row.n) >= runs) break;
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (performance.now() - started) / 1000;
await worker.stop();
await ctx.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`${ctx.dialect}: ${runs} one-step (${args.step}) runs in ${seconds.toFixed(2)} s = ${Math.round(runs / seconds)} runs/s with one worker (concurrency ${args.concurrency}), Node ${process.version}, ${os.cpus().length} cores`);
