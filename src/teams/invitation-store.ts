import type { Executor } from '../db/database.js';
import type { TeamInvitationTable } from './tables.js';

export function insertInvitation(db: Executor, invitation: TeamInvitationTable) {
  return db.insertInto('team_invitations').values(invitation).execute();
}

/** Forgets a team's expired invitation to `email`, so the email can be invited again. */
export function deleteExpiredInvitation(db: Executor, teamId: string, email: string, now: number) {
  return db.deleteFrom('team_invitations').where('team_id', '=', teamId).where('email', '=', email).where('expires_at', '<=', now).execute();
}

export function findLiveInvitation(db: Executor, teamId: string, email: string, now: number) {
  return db.selectFrom('team_invitations').select('id').where('team_id', '=', teamId).where('email', '=', email).where('expires_at', '>', now).executeTakeFirst();
}

const withTeam = (db: Executor) =>
  db
    .selectFrom('team_invitations')
    .innerJoin('teams', 'teams.id', 'team_invitations.team_id')
    .innerJoin('users as inviter', 'inviter.id', 'team_invitations.invited_by')
    .select([
      'team_invitations.id',
      'team_invitations.team_id',
      'teams.name as team_name',
      'team_invitations.email',
      'team_invitations.role',
      'team_invitations.invited_by',
      'inviter.email as invited_by_email',
      'team_invitations.created_at',
      'team_invitations.expires_at',
    ]);

/** A live invitation addressed to `email`: the only way an invitee reaches one. */
export function findInvitationFor(db: Executor, id: string, email: string, now: number) {
  return withTeam(db).where('team_invitations.id', '=', id).where('team_invitations.email', '=', email).where('team_invitations.expires_at', '>', now).executeTakeFirst();
}

/** A live invitation of a team, as its managers see it. */
export function findTeamInvitation(db: Executor, teamId: string, id: string, now: number) {
  return withTeam(db).where('team_invitations.id', '=', id).where('team_invitations.team_id', '=', teamId).where('team_invitations.expires_at', '>', now).executeTakeFirst();
}

export function listInvitationsFor(db: Executor, email: string, now: number) {
  return withTeam(db).where('team_invitations.email', '=', email).where('team_invitations.expires_at', '>', now).orderBy('team_invitations.created_at').execute();
}

export function listTeamInvitations(db: Executor, teamId: string, now: number) {
  return withTeam(db).where('team_invitations.team_id', '=', teamId).where('team_invitations.expires_at', '>', now).orderBy('team_invitations.created_at').execute();
}

export function deleteInvitation(db: Executor, id: string) {
  return db.deleteFrom('team_invitations').where('id', '=', id).executeTakeFirst();
}

/** A member of the team whose account has this email. */
export function findMemberByEmail(db: Executor, teamId: string, email: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select('users.id')
    .where('team_members.team_id', '=', teamId)
    .where('users.email', '=', email)
    .executeTakeFirst();
}
