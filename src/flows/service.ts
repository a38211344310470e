import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import { capabilitiesOf, checkLimit, checkStepCapabilities } from '../admin/capabilities.js';
import * as admin from '../admin/store.js';
import { MANAGER_ROLES, TEAM_ROLES, requireTeamRole } from '../teams/service.js';
import * as teams from '../teams/store.js';
import { parseFlowDefinition, type FlowDefinition } from './definition.js';
import * as flows from './store.js';
import type { Owner } from './store.js';
import type { FlowRow, WorkbookRow } from './tables.js';
import { isoTime } from '../util/dates.js';

export interface Flow {
  id: string;
  name: string;
  description: string | null;
  owner: Owner;
  workbook_id: string;
  definition: FlowDefinition;
  created_at: string;
  updated_at: string;
}

export interface Workbook {
  id: string;
  name: string;
  description: string | null;
  is_default: boolean;
  owner: Owner;
  created_at: string;
}

export function toFlow(row: FlowRow): Flow {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: { type: row.owner_type, id: row.owner_id },
    workbook_id: row.workbook_id,
    definition: JSON.parse(row.definition) as FlowDefinition,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

export function toWorkbook(row: WorkbookRow): Workbook {
  return { id: row.id, name: row.name, description: row.description, is_default: row.is_default === 1, owner: { type: row.owner_type, id: row.owner_id }, created_at: isoTime(row.created_at) };
}

/** The owner a session user acts for: themself, or a team they belong to (managers to write). */
export async function ownerFor(db: Executor, userId: string, teamId: string | undefined, write: boolean): Promise<Owner> {
  if (teamId === undefined) return { type: 'user', id: userId };
  await requireTeamRole(db, teamId, userId, write ? MANAGER_ROLES : TEAM_ROLES);
  return { type: 'team', id: teamId };
}

/** A flow the user may see (their own, or their team's) or edit (team: owners and admins); others read as missing. */
export async function accessFlow(db: Executor, userId: string, flowId: string, write: boolean): Promise<FlowRow> {
  const row = await flows.findFlowById(db, flowId);
  if (!row) throw new TesseraError('FLOW_NOT_FOUND');
  if (row.owner_type === 'user') {
    if (row.owner_id !== userId) throw new TesseraError('FLOW_NOT_FOUND');
    return row;
  }
  const role = await teams.findRole(db, row.owner_id, userId);
  if (!role) throw new TesseraError('FLOW_NOT_FOUND');
  if (write && !MANAGER_ROLES.includes(role)) throw new TesseraError('TEAM_ROLE_REQUIRED');
  return row;
}

/** The owner's default folder, made on first use (a unique index settles races). */
export async function defaultWorkbook(db: Executor, owner: Owner): Promise<WorkbookRow> {
  const existing = await flows.findDefaultWorkbook(db, owner);
  if (existing) return existing;
  await flows.insertWorkbookIfAbsent(db, { id: newPublicId(22), owner_type: owner.type, owner_id: owner.id, name: 'Default', description: null, is_default: 1, created_at: Date.now() });
  return (await flows.findDefaultWorkbook(db, owner))!;
}

async function workbookFor(db: Executor, owner: Owner, workbookId: string | undefined): Promise<WorkbookRow> {
  if (workbookId === undefined) return defaultWorkbook(db, owner);
  const workbook = await flows.findWorkbook(db, owner, workbookId);
  if (!workbook) throw new TesseraError('WORKBOOK_NOT_FOUND');
  return workbook;
}

export async function createFlow(
  ctx: AppContext,
  userId: string,
  input: { team_id?: string; workbook_id?: string; definition: unknown },
  actor: Actor,
): Promise<Flow> {
  const definition = parseFlowDefinition(input.definition);
  const owner = await ownerFor(ctx.db, userId, input.team_id, true);
  const { effective } = await capabilitiesOf(ctx, ctx.db, userId);
  checkStepCapabilities(effective, definition.steps.map((s) => s.type));
  await checkLimit(effective, 'max_flows', () => admin.countLiveFlowsCreatedBy(ctx.db, userId));
  const now = Date.now();
  const row: FlowRow = {
    id: newPublicId(22),
    owner_type: owner.type,
    owner_id: owner.id,
    workbook_id: '',
    name: definition.name,
    description: definition.description ?? null,
    definition: JSON.stringify(definition),
    created_by: userId,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    row.workbook_id = (await workbookFor(trx, owner, input.workbook_id)).id;
    await flows.insertFlow(trx, row);
    await recordAudit(trx, { actor, userId, action: 'flow.created', target: { type: 'flow', id: row.id }, metadata: { name: row.name, owner } });
  });
  return toFlow(row);
}

export async function listFlows(ctx: AppContext, userId: string, teamId?: string): Promise<Flow[]> {
  const owner = await ownerFor(ctx.db, userId, teamId, false);
  return (await flows.listFlows(ctx.db, owner)).map(toFlow);
}

export async function getFlow(ctx: AppContext, userId: string, flowId: string): Promise<Flow> {
  return toFlow(await accessFlow(ctx.db, userId, flowId, false));
}

export async function updateFlow(ctx: AppContext, userId: string, flowId: string, input: { workbook_id?: string; definition?: unknown }, actor: Actor): Promise<Flow> {
  const changes: Partial<FlowRow> = { updated_at: Date.now() };
  if (input.definition !== undefined) {
    const definition = parseFlowDefinition(input.definition);
    checkStepCapabilities((await capabilitiesOf(ctx, ctx.db, userId)).effective, definition.steps.map((s) => s.type));
    Object.assign(changes, { name: definition.name, description: definition.description ?? null, definition: JSON.stringify(definition) });
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await accessFlow(trx, userId, flowId, true);
    if (input.workbook_id !== undefined) changes.workbook_id = (await workbookFor(trx, { type: row.owner_type, id: row.owner_id }, input.workbook_id)).id;
    await flows.updateFlow(trx, flowId, changes);
    await recordAudit(trx, { actor, userId, action: 'flow.updated', target: { type: 'flow', id: flowId }, metadata: { fields: Object.keys(changes).filter((k) => k !== 'updated_at') } });
  });
  return getFlow(ctx, userId, flowId);
}

/** Deletes a flow (its runs stay readable by id); queued runs still execute. */
export async function deleteFlow(ctx: AppContext, userId: string, flowId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await accessFlow(trx, userId, flowId, true);
    await flows.updateFlow(trx, flowId, { deleted_at: Date.now() });
    await recordAudit(trx, { actor, userId, action: 'flow.deleted', target: { type: 'flow', id: flowId }, metadata: { name: row.name } });
  });
}

export async function createWorkbook(ctx: AppContext, userId: string, input: { name: string; description?: string; team_id?: string }, actor: Actor): Promise<Workbook> {
  const name = input.name.trim();
  if (!name) throw new TesseraError('VALIDATION_FAILED', "The 'name' parameter must not be blank.");
  const owner = await ownerFor(ctx.db, userId, input.team_id, true);
  const row: WorkbookRow = { id: newPublicId(22), owner_type: owner.type, owner_id: owner.id, name, description: input.description ?? null, is_default: 0, created_at: Date.now() };
  await ctx.db.transaction().execute(async (trx) => {
    await flows.insertWorkbook(trx, row);
    await recordAudit(trx, { actor, userId, action: 'workbook.created', target: { type: 'workbook', id: row.id }, metadata: { name, owner } });
  });
  return toWorkbook(row);
}

export async function listWorkbooks(ctx: AppContext, userId: string, teamId?: string): Promise<Workbook[]> {
  const owner = await ownerFor(ctx.db, userId, teamId, false);
  await defaultWorkbook(ctx.db, owner);
  return (await flows.listWorkbooks(ctx.db, owner)).map(toWorkbook);
}
