import type { Executor } from '../db/database.js';
import type { TeamMemberTable, TeamRole, TeamTable } from './tables.js';

export function insertTeam(db: Executor, team: TeamTable) {
  return db.insertInto('teams').values(team).execute();
}

export function findTeam(db: Executor, id: string) {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateTeam(db: Executor, id: string, changes: Partial<Pick<TeamTable, 'name' | 'recoverable_keys'>>) {
  return db.updateTable('teams').set(changes).where('id', '=', id).execute();
}

/**
 * "Recoverable keys" turned off for a team: the stored copies of its API keys are forgotten at
 * once (the api_keys rows stay; apikeys depends on teams, not the other way). How many.
 */
export async function forgetKeyCopies(db: Executor, teamId: string): Promise<number> {
  const result = await db.updateTable('api_keys').set({ key_ciphertext: null }).where('key_ciphertext', 'is not', null).where('team_id', '=', teamId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function insertMember(db: Executor, member: TeamMemberTable) {
  return db.insertInto('team_members').values(member).execute();
}

/** The role of a user in a team, or undefined when not a member. */
export async function findRole(db: Executor, teamId: string, userId: string): Promise<TeamRole | undefined> {
  const row = await db.selectFrom('team_members').select('role').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}

/** A team member found by the public user id (`external_id`) the Gumloop API names. */
export function findMemberByExternalId(db: Executor, teamId: string, externalId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id', 'users.external_id', 'users.disabled_at', 'team_members.role'])
    .where('team_members.team_id', '=', teamId)
    .where('users.external_id', '=', externalId)
    .executeTakeFirst();
}

export function listMembers(db: Executor, teamId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id', 'users.external_id', 'users.email', 'team_members.role', 'team_members.added_at'])
    .where('team_members.team_id', '=', teamId)
    .orderBy('team_members.added_at')
    .execute();
}

export function listTeamsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id', 'teams.name', 'teams.recoverable_keys', 'teams.created_at', 'team_members.role'])
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.created_at')
    .execute();
}

export function setRole(db: Executor, teamId: string, userId: string, role: TeamRole) {
  return db.updateTable('team_members').set({ role }).where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
}

export function deleteMember(db: Executor, teamId: string, userId: string) {
  return db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
}

export async function countOwners(db: Executor, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('team_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', teamId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
