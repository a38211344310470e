import type { Actor, AppContext } from '../context.js';
import type { User } from '../accounts/service.js';
import { normaliseEmail } from '../util/email.js';
import { recordAudit } from '../audit/record.js';
import { lockRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import * as invitations from './invitation-store.js';
import { MANAGER_ROLES, requireTeamRole, type Team } from './service.js';
import * as teams from './store.js';
import type { TeamRole } from './tables.js';
import { isoTime } from '../util/dates.js';

/** How long an invitation waits for its invitee. */
export const INVITATION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface TeamInvitation {
  id: string;
  team: { id: string; name: string };
  email: string;
  role: TeamRole;
  /** Email of the owner or admin who sent it. */
  invited_by: string;
  status: 'pending';
  created_at: string;
  expires_at: string;
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof invitations.findTeamInvitation>>>;

function present(row: InvitationRow): TeamInvitation {
  return {
    id: row.id,
    team: { id: row.team_id, name: row.team_name },
    email: row.email,
    role: row.role,
    invited_by: row.invited_by_email,
    status: 'pending',
    created_at: isoTime(row.created_at),
    expires_at: isoTime(row.expires_at),
  };
}

/**
 * Invites an email to a team (owners and admins; only owners invite owners). Nothing is looked
 * up about the email: the answer is the same whether or not it has an account, and no account
 * joins anything until its owner accepts.
 */
export async function inviteMember(
  ctx: AppContext,
  userId: string,
  teamId: string,
  input: { email: string; role?: TeamRole },
  actor: Actor,
): Promise<TeamInvitation> {
  const role = input.role ?? 'member';
  const email = normaliseEmail(input.email);
  const id = newPublicId(22);
  const now = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    const callerRole = await requireTeamRole(trx, teamId, userId, MANAGER_ROLES);
    if (role === 'owner' && callerRole !== 'owner') throw new TesseraError('TEAM_ROLE_REQUIRED', 'Only team owners can invite owners.');
    // The managers see the members' emails already: saying one is a member reveals nothing new.
    if (await invitations.findMemberByEmail(trx, teamId, email)) throw new TesseraError('TEAM_MEMBER_EXISTS');
    await invitations.deleteExpiredInvitation(trx, teamId, email, now);
    if (await invitations.findLiveInvitation(trx, teamId, email, now)) throw new TesseraError('TEAM_INVITATION_EXISTS');
    try {
      await invitations.insertInvitation(trx, { id, team_id: teamId, email, role, invited_by: userId, created_at: now, expires_at: now + INVITATION_TTL_MS });
    } catch (err) {
      if (isUniqueViolation(err)) throw new TesseraError('TEAM_INVITATION_EXISTS');
      throw err;
    }
    await recordAudit(trx, { actor, userId, action: 'team.member_invited', target: { type: 'team', id: teamId }, metadata: { invitation_id: id, email, role } });
  });
  return present((await invitations.findTeamInvitation(ctx.db, teamId, id, now))!);
}

/** Pending invitations of a team (owners and admins). */
export async function listTeamInvitations(ctx: AppContext, userId: string, teamId: string): Promise<TeamInvitation[]> {
  await requireTeamRole(ctx.db, teamId, userId, MANAGER_ROLES);
  return (await invitations.listTeamInvitations(ctx.db, teamId, Date.now())).map(present);
}

/** Withdraws a pending invitation (owners and admins). */
export async function cancelInvitation(ctx: AppContext, userId: string, teamId: string, invitationId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await requireTeamRole(trx, teamId, userId, MANAGER_ROLES);
    const row = await invitations.findTeamInvitation(trx, teamId, invitationId, Date.now());
    if (!row) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
    await invitations.deleteInvitation(trx, row.id);
    await recordAudit(trx, { actor, userId, action: 'team.invitation_cancelled', target: { type: 'team', id: teamId }, metadata: { invitation_id: row.id, email: row.email } });
  });
}

/** Invitations waiting for this account: those addressed to its current email. */
export async function listMyInvitations(ctx: AppContext, user: User): Promise<TeamInvitation[]> {
  return (await invitations.listInvitationsFor(ctx.db, normaliseEmail(user.email), Date.now())).map(present);
}

/**
 * The invitee's own invitation, or 404 as if it did not exist: someone else's, expired, or one
 * whose sender may no longer invite with that role (left the team, demoted).
 */
async function requireOwnInvitation(trx: Parameters<typeof invitations.findInvitationFor>[0], user: User, invitationId: string): Promise<InvitationRow> {
  const row = await invitations.findInvitationFor(trx, invitationId, normaliseEmail(user.email), Date.now());
  if (!row) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
  const senderRole = await teams.findRole(trx, row.team_id, row.invited_by);
  const mayInvite = senderRole !== undefined && MANAGER_ROLES.includes(senderRole) && (row.role !== 'owner' || senderRole === 'owner');
  if (!mayInvite) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
  return row;
}

/** Accepts: the account joins the team with the invitation's role, from the next request on. */
export async function acceptInvitation(ctx: AppContext, user: User, invitationId: string, actor: Actor): Promise<Team> {
  return ctx.db.transaction().execute(async (trx) => {
    const first = await invitations.findInvitationFor(trx, invitationId, normaliseEmail(user.email), Date.now());
    if (first) await lockRow(trx, ctx.dialect, 'teams', first.team_id);
    const row = await requireOwnInvitation(trx, user, invitationId);
    const now = Date.now();
    const existing = await teams.findRole(trx, row.team_id, user.id);
    if (!existing) {
      try {
        await teams.insertMember(trx, { team_id: row.team_id, user_id: user.id, role: row.role, added_at: now });
      } catch (err) {
        if (isUniqueViolation(err)) throw new TesseraError('TEAM_MEMBER_EXISTS');
        throw err;
      }
    }
    await invitations.deleteInvitation(trx, row.id);
    const target = { type: 'team', id: row.team_id };
    await recordAudit(trx, { actor, userId: user.id, action: 'team.invitation_accepted', target, metadata: { invitation_id: row.id, role: existing ?? row.role } });
    await recordAudit(trx, { actor, userId: row.invited_by, action: 'team.member_added', target, metadata: { member_id: user.id, role: existing ?? row.role, invitation_id: row.id } });
    const team = (await teams.findTeam(trx, row.team_id))!;
    return { id: team.id, name: team.name, role: existing ?? row.role, recoverable_keys: team.recoverable_keys === 1, created_at: isoTime(team.created_at) };
  });
}

/** Declines: the invitation is gone, and the team learns only that it is. */
export async function declineInvitation(ctx: AppContext, user: User, invitationId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await invitations.findInvitationFor(trx, invitationId, normaliseEmail(user.email), Date.now());
    if (!row) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
    await invitations.deleteInvitation(trx, row.id);
    await recordAudit(trx, { actor, userId: user.id, action: 'team.invitation_declined', target: { type: 'team', id: row.team_id }, metadata: { invitation_id: row.id } });
  });
}
