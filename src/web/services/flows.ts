import type { Actor, AppContext } from '../../context.js';
import type { SessionUser } from '../../accounts/service.js';
import { createApiKey, listApiKeys, requireManagedKey, type ApiKey } from '../../apikeys/service.js';
import { recordAudit } from '../../audit/record.js';
import { webhookUrl } from '../../flows/webhook.js';
import { TesseraError } from '../../http/errors.js';
import { presentRun } from '../../flows/present.js';
import * as runs from '../../flows/runs-store.js';
import { accessFlow, listFlows, toFlow, type Flow } from '../../flows/service.js';
import { startRun } from '../../flows/start-run.js';
import { MANAGER_ROLES, listTeams, type Team } from '../../teams/service.js';

export type Run = ReturnType<typeof presentRun>;
export const TERMINAL_STATES: readonly string[] = runs.TERMINAL;

export interface FlowGroup {
  /** null: the viewer's own flows. */
  team: Team | null;
  flows: Flow[];
}

/** The viewer's flows, then each team's. */
export async function flowGroups(ctx: AppContext, userId: string): Promise<FlowGroup[]> {
  const teams = await listTeams(ctx, userId);
  const own: FlowGroup = { team: null, flows: await listFlows(ctx, userId) };
  return [own, ...(await Promise.all(teams.map(async (team) => ({ team, flows: await listFlows(ctx, userId, team.id) }))))];
}

/** Teams whose flows the viewer may create and edit. */
export async function managedTeams(ctx: AppContext, userId: string): Promise<Team[]> {
  return (await listTeams(ctx, userId)).filter((t) => MANAGER_ROLES.includes(t.role));
}

const ownerOf = (flow: Flow) => flow.owner;

/** A flow the viewer may see, with its 50 most recent runs. */
export async function flowWithRuns(ctx: AppContext, userId: string, flowId: string): Promise<{ flow: Flow; runs: Run[] }> {
  const flow = toFlow(await accessFlow(ctx.db, userId, flowId, false));
  return { flow, runs: (await runs.recentRuns(ctx.db, ownerOf(flow), flow.id, 50)).map((r) => presentRun(r, ctx.keys)) };
}

export async function flowRun(ctx: AppContext, userId: string, flowId: string, runId: string): Promise<{ flow: Flow; run: Run }> {
  const flow = toFlow(await accessFlow(ctx.db, userId, flowId, false));
  const run = await runs.findRun(ctx.db, ownerOf(flow), runId);
  if (!run || run.flow_id !== flow.id) throw new TesseraError('RUN_NOT_FOUND');
  return { flow, run: presentRun(run, ctx.keys) };
}

/** Starts a run as the viewer (as the session JSON API does). */
export async function startFlowRun(ctx: AppContext, userId: string, flowId: string, inputs: Record<string, unknown>): Promise<string> {
  const flow = await accessFlow(ctx.db, userId, flowId, false);
  const { run } = await startRun(ctx, { owner: { type: flow.owner_type, id: flow.owner_id }, flowId: flow.id, userId, apiKeyId: null, inputs });
  return run.id;
}

/** The keys that can start this flow: personal keys for one's own flow, the team's keys for a team flow. */
export async function keysForFlow(ctx: AppContext, userId: string, flow: Flow): Promise<ApiKey[]> {
  if (flow.owner.type === 'user') return listApiKeys(ctx, userId);
  const team = (await listTeams(ctx, userId)).find((t) => t.id === flow.owner.id);
  return team && MANAGER_ROLES.includes(team.role) ? listApiKeys(ctx, userId, team.id) : [];
}

/** The webhook panel's target: where to POST, with the key (or a placeholder) and the inputs. */
export interface ShownTarget {
  url: string;
  headerUrl: string;
  authorization: string;
  body: string;
  includesKey: boolean;
  keyId: string;
  /** The key was created on the panel just now. */
  created?: boolean;
}

/**
 * The trigger URL and snippet parts for one key: with the secret typed in (`apiKey`, checked),
 * revealed by password, or recovered for a session whose password was confirmed (`recover`,
 * audited as a reveal); otherwise with the placeholder.
 */
export async function webhookTarget(
  ctx: AppContext,
  user: SessionUser,
  flow: Flow,
  keyId: string,
  secret: { apiKey?: string; password?: string; recover?: boolean },
  actor: Actor,
): Promise<ShownTarget> {
  let apiKey = secret.apiKey;
  if (secret.recover) {
    const row = await requireManagedKey(ctx.db, user.id, keyId);
    if (row.key_ciphertext !== null) {
      apiKey = ctx.keys.decrypt(row.key_ciphertext);
      await recordAudit(ctx.db, { actor, userId: user.id, action: 'apikey.revealed', target: { type: 'api_key', id: keyId }, metadata: { kind: row.kind, team_id: row.team_id, via: 'webhook panel' } });
    }
  }
  const url = await webhookUrl(ctx, user, flow.id, { key_id: keyId, ...(apiKey ? { api_key: apiKey } : secret.password ? { password: secret.password } : {}) }, actor);
  const body: Record<string, unknown> = {};
  for (const input of flow.definition.inputs ?? []) body[input.name] = input.default ?? `your ${input.name}`;
  return { url: url.url, headerUrl: url.header_url, authorization: url.authorization, body: JSON.stringify(body), includesKey: url.includes_key, keyId };
}

/** "Create a key for this flow": a personal key for one's own flow, the team's key for a team flow. */
export async function createKeyForFlow(ctx: AppContext, userId: string, flow: Flow, actor: Actor): Promise<{ keyId: string; secret: string }> {
  const { key, apiKey } = await createApiKey(
    ctx,
    userId,
    { name: `Webhook of ${flow.name}`.slice(0, 100), scopes: ['flows:run', 'flows:read'], ...(flow.owner.type === 'team' ? { team_id: flow.owner.id } : {}) },
    actor,
  );
  return { keyId: key.id, secret: apiKey };
}
