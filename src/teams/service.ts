import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow, type Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import * as teams from './store.js';
import type { TeamRole } from './tables.js';
import { isoTime } from '../util/dates.js';

export const TEAM_ROLES: readonly TeamRole[] = ['owner', 'admin', 'member'];
/** Roles that manage the team's keys, flows and members. */
export const MANAGER_ROLES: readonly TeamRole[] = ['owner', 'admin'];

export interface Team {
  id: string;
  name: string;
  role: TeamRole;
  recoverable_keys: boolean;
  created_at: string;
}

export interface TeamMember {
  id: string;
  /** The `user_id` to name in the Gumloop-compatible flows API. */
  api_user_id: string;
  email: string;
  role: TeamRole;
  added_at: string;
}

/**
 * The caller's role in a team, refusing non-members as if the team did not exist (404) and
 * members without one of the `roles` given (403).
 */
export async function requireTeamRole(db: Executor, teamId: string, userId: string, roles: readonly TeamRole[] = TEAM_ROLES): Promise<TeamRole> {
  const role = await teams.findRole(db, teamId, userId);
  if (!role) throw new TesseraError('TEAM_NOT_FOUND');
  if (!roles.includes(role)) {
    throw new TesseraError('TEAM_ROLE_REQUIRED', roles.length === 1 ? 'Only team owners can do this.' : undefined);
  }
  return role;
}

export async function createTeam(ctx: AppContext, userId: string, input: { name: string }, actor: Actor): Promise<Team> {
  const name = input.name.trim();
  if (!name) throw new TesseraError('VALIDATION_FAILED', "The 'name' parameter must not be blank.");
  const id = newPublicId(22);
  const now = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    await teams.insertTeam(trx, { id, name, recoverable_keys: 0, created_by: userId, created_at: now });
    await teams.insertMember(trx, { team_id: id, user_id: userId, role: 'owner', added_at: now });
    await recordAudit(trx, { actor, userId, action: 'team.created', target: { type: 'team', id }, metadata: { name } });
  });
  return { id, name, role: 'owner', recoverable_keys: false, created_at: isoTime(now) };
}

export async function listTeams(ctx: AppContext, userId: string): Promise<Team[]> {
  const rows = await teams.listTeamsOfUser(ctx.db, userId);
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, recoverable_keys: r.recoverable_keys === 1, created_at: isoTime(r.created_at) }));
}

export async function getTeam(ctx: AppContext, userId: string, teamId: string): Promise<Team & { members: TeamMember[] }> {
  const role = await requireTeamRole(ctx.db, teamId, userId);
  const team = (await teams.findTeam(ctx.db, teamId))!;
  const members = await teams.listMembers(ctx.db, teamId);
  return {
    id: team.id,
    name: team.name,
    role,
    recoverable_keys: team.recoverable_keys === 1,
    created_at: isoTime(team.created_at),
    members: members.map((m) => ({ id: m.id, api_user_id: m.external_id, email: m.email, role: m.role, added_at: isoTime(m.added_at) })),
  };
}

export async function renameTeam(ctx: AppContext, userId: string, teamId: string, name: string, actor: Actor): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new TesseraError('VALIDATION_FAILED', "The 'name' parameter must not be blank.");
  await ctx.db.transaction().execute(async (trx) => {
    await requireTeamRole(trx, teamId, userId, ['owner']);
    await teams.updateTeam(trx, teamId, { name: trimmed });
    await recordAudit(trx, { actor, userId, action: 'team.renamed', target: { type: 'team', id: teamId }, metadata: { name: trimmed } });
  });
}

/**
 * "Recoverable keys" for a team's API keys; owners only. On: keys created or regenerated from now
 * on are also stored encrypted. Off: every stored team key is forgotten at once.
 */
export async function setRecoverableKeys(ctx: AppContext, userId: string, teamId: string, on: boolean, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await requireTeamRole(trx, teamId, userId, ['owner']);
    await teams.updateTeam(trx, teamId, { recoverable_keys: on ? 1 : 0 });
    const forgotten = on ? 0 : await teams.forgetKeyCopies(trx, teamId);
    await recordAudit(trx, {
      actor,
      userId,
      action: 'apikey.settings_changed',
      target: { type: 'team', id: teamId },
      metadata: { recoverable_keys: on, forgotten_keys: forgotten },
    });
  });
}

/** Owners change roles; the last owner cannot be demoted. */
export async function changeRole(ctx: AppContext, userId: string, teamId: string, memberId: string, role: TeamRole, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'teams', teamId);
    await requireTeamRole(trx, teamId, userId, ['owner']);
    const current = await teams.findRole(trx, teamId, memberId);
    if (!current) throw new TesseraError('TEAM_MEMBER_NOT_FOUND');
    if (current === 'owner' && role !== 'owner' && (await teams.countOwners(trx, teamId)) <= 1) throw new TesseraError('TEAM_LAST_OWNER');
    await teams.setRole(trx, teamId, memberId, role);
    await recordAudit(trx, { actor, userId, action: 'team.role_changed', target: { type: 'team', id: teamId }, metadata: { member_id: memberId, from: current, to: role } });
  });
}

/**
 * Removes a member: owners remove anyone, admins remove members and admins, and everyone may
 * leave; the last owner stays.
 */
export async function removeMember(ctx: AppContext, userId: string, teamId: string, memberId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'teams', teamId);
    const callerRole = await requireTeamRole(trx, teamId, userId);
    const target = await teams.findRole(trx, teamId, memberId);
    if (!target) throw new TesseraError('TEAM_MEMBER_NOT_FOUND');
    if (memberId !== userId) {
      if (!MANAGER_ROLES.includes(callerRole)) throw new TesseraError('TEAM_ROLE_REQUIRED');
      if (target === 'owner' && callerRole !== 'owner') throw new TesseraError('TEAM_ROLE_REQUIRED', 'Only team owners can remove owners.');
    }
    if (target === 'owner' && (await teams.countOwners(trx, teamId)) <= 1) throw new TesseraError('TEAM_LAST_OWNER');
    await teams.deleteMember(trx, teamId, memberId);
    await recordAudit(trx, { actor, userId, action: 'team.member_removed', target: { type: 'team', id: teamId }, metadata: { member_id: memberId } });
  });
}
