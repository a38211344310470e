import fs from 'node:fs';
import { CLI_ACTOR, type AppContext } from '../context.js';
import { UsageError, intOption, type Command } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import { apiKeyCommands } from '../apikeys/cli.js';
import { teamCommands } from '../teams/cli.js';
import { requireTeamRole } from '../teams/service.js';
import { setLimits } from './limits.js';
import { createFlow, listFlows, type Flow } from './service.js';
import { FlowWorker } from './worker.js';

function readDefinition(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`Cannot read a JSON flow definition from ${path}: ${(err as Error).message}`);
  }
}

const consoleLogger = {
  error: (details: object, message: string) => console.error(`tessera worker: ${message}`, details),
  warn: (details: object, message: string) => console.warn(`tessera worker: ${message}`, details),
};

/** Runs a worker until SIGINT/SIGTERM, then lets running runs finish (5 s) and exits. */
async function runWorker(ctx: AppContext & { close?: () => Promise<void> }, concurrency: number | undefined): Promise<object> {
  const worker = new FlowWorker(ctx, consoleLogger, concurrency ? { concurrency } : {});
  await worker.start();
  console.error(`tessera worker ${worker.id}: waiting for runs (Ctrl-C to stop)`);
  const stop = async () => {
    await worker.stop();
    await ctx.close?.();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { worker: worker.id };
}

const flowOnlyCommands: Command[] = [
  {
    name: 'flow create',
    summary: 'Create a flow from a JSON definition file (see GET /api/flows/schema)',
    positionals: 'DEFINITION.json',
    options: {
      email: { type: 'string', required: true, description: 'Email of the owner (or of a team owner or admin with --team)' },
      team: { type: 'string', description: 'Team id: make a team flow' },
      workbook: { type: 'string', description: 'Workbook id (default: the default workbook)' },
    },
    async run(ctx, o, positionals) {
      if (positionals.length !== 1) throw new UsageError('Give exactly one JSON file: tessera flow create --email E flow.json');
      const user = await requireUserByEmail(ctx, String(o.email));
      const flow = await createFlow(
        ctx,
        user.id,
        { team_id: o.team === undefined ? undefined : String(o.team), workbook_id: o.workbook === undefined ? undefined : String(o.workbook), definition: readDefinition(positionals[0]!) },
        CLI_ACTOR,
      );
      return { id: flow.id, name: flow.name, workbook_id: flow.workbook_id };
    },
    describe: (r) => `Flow ${r.name} (saved_item_id ${r.id})`,
  },
  {
    name: 'flow list',
    summary: "List an account's flows (or a team's with --team)",
    options: { email: { type: 'string', required: true, description: "The account's email" }, team: { type: 'string', description: 'Team id' } },
    async run(ctx, o) {
      const user = await requireUserByEmail(ctx, String(o.email));
      return { flows: await listFlows(ctx, user.id, o.team === undefined ? undefined : String(o.team)) };
    },
    describe: (r) => (r.flows as Flow[]).map((f) => `${f.id}  ${f.name}  (${f.definition.steps.length} steps)`).join('\n') || 'No flows.',
  },
  {
    name: 'flow limits',
    summary: 'Set the run limits of an account or team (0 resets one to the default)',
    options: {
      email: { type: 'string', description: "The account's email (or a team owner's with --team)" },
      team: { type: 'string', description: 'Team id' },
      concurrent: { type: 'string', description: 'Runs executing at once (more wait as QUEUED)' },
      queued: { type: 'string', description: 'Runs waiting; beyond, start_pipeline answers 429' },
      'run-seconds': { type: 'string', description: 'Longest run' },
      'output-bytes': { type: 'string', description: "Largest run's outputs as JSON" },
    },
    async run(ctx, o) {
      if (o.email === undefined) throw new UsageError('--email is required');
      const user = await requireUserByEmail(ctx, String(o.email));
      if (o.team !== undefined) await requireTeamRole(ctx.db, String(o.team), user.id, ['owner']);
      const value = (name: string) => {
        const n = intOption(o[name], name);
        if (n !== undefined && n < 0) throw new UsageError(`--${name} must be 0 or more`);
        return n === undefined ? undefined : n === 0 ? null : n;
      };
      const owner = o.team === undefined ? { type: 'user' as const, id: user.id } : { type: 'team' as const, id: String(o.team) };
      return setLimits(ctx, owner, { maxConcurrent: value('concurrent'), maxQueued: value('queued'), maxRunSeconds: value('run-seconds'), maxOutputBytes: value('output-bytes') });
    },
  },
  {
    name: 'worker',
    summary: 'Run a flow worker alone (npm start runs one in-process unless TESSERA_WORKER=0)',
    options: { concurrency: { type: 'string', description: 'Runs executed at once (default TESSERA_WORKER_CONCURRENCY or 8)' } },
    longRunning: true,
    run: (ctx, o) => runWorker(ctx, intOption(o.concurrency, 'concurrency')),
  },
];

/** Teams, API keys, flows and the worker. */
export const flowCommands: Command[] = [...teamCommands, ...apiKeyCommands, ...flowOnlyCommands];
