import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { FlowCaller } from '../apikeys/authenticate.js';
import { actorOf } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { isForbiddenName } from '../http/input-guard.js';
import { mergedParams, nullObject } from '../http/params.js';
import { RESERVED_INPUT_NAMES, type FlowDefinition } from './definition.js';
import { asGumloopError, requireFlowKey } from './gumloop-auth.js';
import { killRun } from './kill-run.js';
import { presentRun } from './present.js';
import * as runs from './runs-store.js';
import { startRun } from './start-run.js';
import * as flows from './store.js';
import type { FlowRow } from './tables.js';
import { isoTime } from '../util/dates.js';

const tags = ['Flows API (Gumloop-compatible)'];
const RUN_HISTORY = 10;

/** Runs a handler and re-expresses its failures in the Gumloop body shape. */
function gumloop<T>(handler: (request: FastifyRequest, caller: FlowCaller, reply: FastifyReply) => Promise<T>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<T> => {
    try {
      return await handler(request, request.flowCaller!, reply);
    } catch (err) {
      throw asGumloopError(err);
    }
  };
}

function requiredParam(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new TesseraError('GUMLOOP_BAD_REQUEST', `The '${name}' parameter is required.`);
}

/** start_pipeline inputs (gumloop contract §2.1): top-level keys, then `pipeline_inputs`, minus reserved names. */
function collectInputs(params: Record<string, unknown>): Record<string, unknown> {
  const inputs = nullObject();
  for (const [name, value] of Object.entries(params)) if (!RESERVED_INPUT_NAMES.includes(name)) inputs[name] = value;
  let list = params.pipeline_inputs;
  if (list === undefined || list === null || list === '') return inputs;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch {
      throw new TesseraError('GUMLOOP_BAD_REQUEST', "'pipeline_inputs' must be a JSON array of {input_name, value}.");
    }
  }
  if (!Array.isArray(list)) throw new TesseraError('GUMLOOP_BAD_REQUEST', "'pipeline_inputs' must be an array of {input_name, value}.");
  for (const item of list) {
    if (!item || typeof item !== 'object' || typeof (item as { input_name?: unknown }).input_name !== 'string') {
      throw new TesseraError('GUMLOOP_BAD_REQUEST', "Each of 'pipeline_inputs' needs a string 'input_name' and a 'value'.");
    }
    const { input_name, value } = item as { input_name: string; value: unknown };
    if (isForbiddenName(input_name)) throw new TesseraError('GUMLOOP_BAD_REQUEST', `The input name '${input_name}' is not allowed.`);
    if (!RESERVED_INPUT_NAMES.includes(input_name)) inputs[input_name] = value;
  }
  return inputs;
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new TesseraError('GUMLOOP_BAD_REQUEST', 'The Idempotency-Key header must be 1 to 200 characters.');
  }
  return value;
}

function savedItem(flow: FlowRow) {
  return { saved_item_id: flow.id, name: flow.name, description: flow.description, created_ts: isoTime(flow.created_at) };
}

const Query = (fields: Record<string, string>) =>
  Type.Object(Object.fromEntries(Object.entries(fields).map(([k, d]) => [k, Type.Optional(Type.String({ description: d }))])));
const who = { user_id: 'The user to act for (required with a team key and with a personal key).', project_id: 'Team id; optional.', api_key: 'The API key, when not in Authorization: Bearer.' };

/** The seven endpoints of the gumloop contract §2, mounted under /api/v1. */
export const gumloopRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  const start = gumloop(async (request, caller) => {
    const params = mergedParams(request);
    const flowId = requiredParam(params, 'saved_item_id');
    const { run, flow } = await startRun(ctx, {
      owner: caller.owner,
      flowId,
      userId: caller.userId,
      apiKeyId: caller.keyId,
      inputs: collectInputs(params),
      idempotencyKey: idempotencyKey(request),
    });
    // The run's page in the dashboard, as Gumloop's url opens the run in its app.
    const url = `${ctx.config.publicUrl}/flows/${encodeURIComponent(flow.id)}/runs/${encodeURIComponent(run.id)}`;
    return { run_id: run.id, saved_item_id: flow.id, workbook_id: flow.workbook_id, url };
  });
  const startSchema = {
    tags,
    summary: 'Start a flow run (returns at once; inputs from pipeline_inputs and top-level keys)',
    querystring: Query({ ...who, saved_item_id: 'The flow id.' }),
  };
  app.post('/start_pipeline', { schema: startSchema, preValidation: requireFlowKey('flows:run'), handler: start });
  app.get('/start_pipeline', { schema: { ...startSchema, summary: 'Start a flow run from a URL (pipeline_inputs as URL-encoded JSON)' }, preValidation: requireFlowKey('flows:run'), handler: start });

  app.get('/get_pl_run', {
    schema: { tags, summary: 'A run: state, log, outputs, times', querystring: Query({ ...who, run_id: 'The run id.' }) },
    preValidation: requireFlowKey('flows:read'),
    handler: gumloop(async (request, caller) => {
      const run = await runs.findRun(ctx.db, caller.owner, requiredParam(mergedParams(request), 'run_id'));
      if (!run) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Run not found.');
      return presentRun(run, ctx.keys);
    }),
  });

  app.post('/kill_pipeline', {
    schema: { tags, summary: 'Stop a run', querystring: Query({ ...who, run_id: 'The run id.' }) },
    preValidation: requireFlowKey('flows:run'),
    handler: gumloop(async (request, caller) => {
      const runId = requiredParam(mergedParams(request), 'run_id');
      const actor = { ...actorOf(request), type: 'api_key' as const, id: caller.keyId };
      const { success } = await killRun(ctx, caller.owner, runId, caller.userId, actor);
      return { success, run_id: runId };
    }),
  });

  app.get('/list_saved_items', {
    schema: { tags, summary: 'Flows the key reaches', querystring: Query(who) },
    preValidation: requireFlowKey('flows:read', { projectSuffices: true }),
    handler: gumloop(async (_request, caller) => ({ saved_items: (await flows.listFlows(ctx.db, caller.owner)).map(savedItem) })),
  });

  app.get('/list_workbooks', {
    schema: { tags, summary: 'Folders of flows', querystring: Query(who) },
    preValidation: requireFlowKey('flows:read'),
    handler: gumloop(async (_request, caller) => {
      const [workbooks, all] = await Promise.all([flows.listWorkbooks(ctx.db, caller.owner), flows.listFlows(ctx.db, caller.owner)]);
      return {
        workbooks: workbooks.map((w) => ({
          workbook_id: w.id,
          name: w.name,
          description: w.description,
          created_ts: isoTime(w.created_at),
          saved_items: all.filter((f) => f.workbook_id === w.id).map(savedItem),
        })),
      };
    }),
  });

  app.get('/get_inputs', {
    schema: { tags, summary: "A flow's declared inputs", querystring: Query({ ...who, saved_item_id: 'The flow id.' }) },
    preValidation: requireFlowKey('flows:read'),
    handler: gumloop(async (request, caller) => {
      const flow = await flows.findFlow(ctx.db, caller.owner, requiredParam(mergedParams(request), 'saved_item_id'));
      if (!flow) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Saved item not found.');
      const definition = JSON.parse(flow.definition) as FlowDefinition;
      return { inputs: (definition.inputs ?? []).map((i) => ({ name: i.name, data_type: i.type ?? 'string', description: i.description ?? null })) };
    }),
  });

  app.get('/get_plrun_saved_item_map', {
    schema: { tags, summary: 'The 10 most recent runs of each flow of a workbook, or of one flow', querystring: Query({ ...who, workbook_id: 'A workbook id.', saved_item_id: 'A flow id.' }) },
    preValidation: requireFlowKey('flows:read'),
    handler: gumloop(async (request, caller) => {
      const params = mergedParams(request);
      let chosen: FlowRow[];
      if (typeof params.saved_item_id === 'string' && params.saved_item_id !== '') {
        const flow = await flows.findFlow(ctx.db, caller.owner, params.saved_item_id);
        if (!flow) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Saved item not found.');
        chosen = [flow];
      } else {
        const workbookId = requiredParam(params, 'workbook_id');
        if (!(await flows.findWorkbook(ctx.db, caller.owner, workbookId))) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Workbook not found.');
        chosen = await flows.listFlows(ctx.db, caller.owner, workbookId);
      }
      const map: Record<string, ReturnType<typeof presentRun>[]> = {};
      for (const flow of chosen) map[flow.id] = (await runs.recentRuns(ctx.db, caller.owner, flow.id, RUN_HISTORY)).map((r) => presentRun(r, ctx.keys));
      return map;
    }),
  });
};
