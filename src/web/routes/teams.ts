import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { listApiKeys } from '../../apikeys/service.js';
import { actorOf } from '../../auth/plugin.js';
import { listFlows } from '../../flows/service.js';
import { TesseraError } from '../../http/errors.js';
import { acceptInvitation, cancelInvitation, declineInvitation, inviteMember, listMyInvitations, listTeamInvitations } from '../../teams/invitations.js';
import { MANAGER_ROLES, TEAM_ROLES, changeRole, createTeam, getTeam, listTeams, removeMember } from '../../teams/service.js';
import type { TeamRole } from '../../teams/tables.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, readFlash } from '../flash.js';
import { formOf, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import type { ShownKey } from '../pages/api-keys.js';
import { TeamPage, TeamsPage } from '../pages/teams.js';
import { sendPage } from '../render.js';
import { cancelInvitationConsequence, declineInvitationConsequence, leaveTeamConsequence, removeMemberConsequence } from '../services/consequences.js';

const NOTICES: Record<string, string> = {
  accepted: 'Invitation accepted: you are a member of the team.',
  declined: 'Invitation declined.',
  left: 'You left the team: its keys no longer act for you.',
  created: 'Team created: you are its owner. Invite members below.',
  invited: 'Invitation sent: it waits on their Teams page until they accept it.',
  cancelled: 'Invitation cancelled.',
  removed: 'Member removed.',
  role: 'Role changed.',
  revoked: 'Key revoked: it no longer works.',
};

/**
 * Teams by hand: create a team, invite members by email (they accept on their own Teams page),
 * roles, remove members, the team's keys and flows. The teams service decides who may do what
 * (owners and admins manage members and keys); the pages only hide what would be refused.
 * Every POST redirects; removing, leaving, declining and cancelling ask first.
 */
export async function teamPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const teamPath = (id: string) => `/teams/${encodeURIComponent(id)}`;
  const notice = (request: FastifyRequest) => NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;

  app.get('/teams', async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const failed = flash.kind === 'error' && flash.data?.form === 'create' ? (flash.data as { error: string; values: { name?: string } }) : null;
    const [invitations, teams] = await Promise.all([listMyInvitations(ctx, viewer.user), listTeams(ctx, viewer.user.id)]);
    return sendPage(reply, h(TeamsPage, { viewer, invitations, teams, notice: notice(request), error: failed?.error ?? null, name: failed?.values.name }));
  });

  app.post('/teams', async (request, reply) => {
    const name = text(formOf(request.body), 'name');
    try {
      const team = await createTeam(ctx, request.viewer!.user.id, { name }, actorOf(request));
      return reply.redirect(`${teamPath(team.id)}?done=created`, 303);
    } catch (err) {
      return backWithError(request, reply, '/teams', err, 'create', { name });
    }
  });

  app.get('/teams/:id', async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const team = await getTeam(ctx, viewer.user.id, idOf(request));
    const manager = MANAGER_ROLES.includes(team.role);
    const [invitations, keys, flows] = await Promise.all([
      manager ? listTeamInvitations(ctx, viewer.user.id, team.id) : null,
      manager ? listApiKeys(ctx, viewer.user.id, team.id) : null,
      listFlows(ctx, viewer.user.id, team.id),
    ]);
    const failed = flash.kind === 'error' && flash.data ? (flash.data as { form: string; error: string; values: Record<string, string> }) : null;
    return sendPage(
      reply,
      h(TeamPage, {
        viewer,
        team,
        invitations,
        keys,
        flows,
        shownKey: flashOf<ShownKey>(flash, 'api-key'),
        alreadyShown: flash.alreadyShown,
        notice: notice(request),
        error: failed ? { form: failed.form, message: failed.error, values: failed.values ?? {} } : null,
      }),
    );
  });

  app.post('/teams/:id/invitations', async (request, reply) => {
    const form = formOf(request.body);
    const email = text(form, 'email');
    const role = text(form, 'role') || 'member';
    const back = teamPath(idOf(request));
    try {
      if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new TesseraError('VALIDATION_FAILED', 'Enter the email address of the person to invite.');
      if (!TEAM_ROLES.includes(role as TeamRole)) throw new TesseraError('VALIDATION_FAILED', 'Choose a role from the list.');
      await inviteMember(ctx, request.viewer!.user.id, idOf(request), { email, role: role as TeamRole }, actorOf(request));
      return reply.redirect(`${back}?done=invited`, 303);
    } catch (err) {
      return backWithError(request, reply, back, err, 'invite', { email });
    }
  });

  /** A pending invitation of a team the viewer manages (404 otherwise, as the service answers). */
  async function teamInvitation(request: FastifyRequest) {
    const { id, invitationId } = request.params as { id: string; invitationId: string };
    const team = await getTeam(ctx, request.viewer!.user.id, id);
    const invitation = (await listTeamInvitations(ctx, request.viewer!.user.id, team.id)).find((i) => i.id === invitationId);
    if (!invitation) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
    return { team, invitation };
  }

  app.get('/teams/:id/invitations/:invitationId/cancel', async (request, reply) => {
    const { team, invitation } = await teamInvitation(request);
    return sendConfirmation(request, reply, {
      title: `Cancel the invitation of ${invitation.email}?`,
      consequence: cancelInvitationConsequence(invitation.email, team.name),
      button: 'Cancel invitation',
      cancelHref: teamPath(team.id),
      active: 'teams',
    });
  });

  app.post('/teams/:id/invitations/:invitationId/cancel', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const { invitationId } = request.params as { invitationId: string };
    await cancelInvitation(ctx, request.viewer!.user.id, idOf(request), invitationId, actorOf(request));
    return reply.redirect(`${teamPath(idOf(request))}?done=cancelled`, 303);
  });

  /** A member of a team the viewer belongs to (404 otherwise). */
  async function teamMember(request: FastifyRequest) {
    const { id, memberId } = request.params as { id: string; memberId: string };
    const team = await getTeam(ctx, request.viewer!.user.id, id);
    const member = team.members.find((m) => m.id === memberId);
    if (!member) throw new TesseraError('TEAM_MEMBER_NOT_FOUND');
    return { team, member };
  }

  app.get('/teams/:id/members/:memberId/remove', async (request, reply) => {
    const { team, member } = await teamMember(request);
    return sendConfirmation(request, reply, {
      title: `Remove ${member.email} from ${team.name}?`,
      consequence: removeMemberConsequence(member.email, team.name),
      button: 'Remove member',
      cancelHref: teamPath(team.id),
      active: 'teams',
    });
  });

  app.post('/teams/:id/members/:memberId/remove', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const { memberId } = request.params as { memberId: string };
    const back = teamPath(idOf(request));
    try {
      await removeMember(ctx, request.viewer!.user.id, idOf(request), memberId, actorOf(request));
      return reply.redirect(`${back}?done=removed`, 303);
    } catch (err) {
      return backWithError(request, reply, back, err, 'members');
    }
  });

  app.post('/teams/:id/members/:memberId/role', async (request, reply) => {
    const { memberId } = request.params as { memberId: string };
    const role = text(formOf(request.body), 'role');
    const back = teamPath(idOf(request));
    try {
      if (!TEAM_ROLES.includes(role as TeamRole)) throw new TesseraError('VALIDATION_FAILED', 'Choose a role from the list.');
      await changeRole(ctx, request.viewer!.user.id, idOf(request), memberId, role as TeamRole, actorOf(request));
      return reply.redirect(`${back}?done=role`, 303);
    } catch (err) {
      return backWithError(request, reply, back, err, 'members');
    }
  });

  app.post('/teams/invitations/:id/accept', async (request, reply) => {
    await acceptInvitation(ctx, request.viewer!.user, idOf(request), actorOf(request));
    return reply.redirect('/teams?done=accepted', 303);
  });

  app.get('/teams/invitations/:id/decline', async (request, reply) => {
    const viewer = request.viewer!;
    const invitation = (await listMyInvitations(ctx, viewer.user)).find((i) => i.id === idOf(request));
    if (!invitation) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
    return sendConfirmation(request, reply, {
      title: `Decline the invitation to “${invitation.team.name}”?`,
      consequence: declineInvitationConsequence(invitation.team.name, invitation.invited_by),
      button: 'Decline invitation',
      cancelHref: '/teams',
      active: 'teams',
    });
  });

  app.post('/teams/invitations/:id/decline', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await declineInvitation(ctx, request.viewer!.user, idOf(request), actorOf(request));
    return reply.redirect('/teams?done=declined', 303);
  });

  app.get('/teams/:id/leave', async (request, reply) => {
    const team = (await listTeams(ctx, request.viewer!.user.id)).find((t) => t.id === idOf(request));
    if (!team) throw new TesseraError('TEAM_NOT_FOUND');
    return sendConfirmation(request, reply, {
      title: `Leave “${team.name}”?`,
      consequence: leaveTeamConsequence(team.name),
      button: 'Leave team',
      cancelHref: teamPath(team.id),
      active: 'teams',
    });
  });

  app.post('/teams/:id/leave', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const viewer = request.viewer!;
    const back = teamPath(idOf(request));
    try {
      await removeMember(ctx, viewer.user.id, idOf(request), viewer.user.id, actorOf(request));
      return reply.redirect('/teams?done=left', 303);
    } catch (err) {
      return backWithError(request, reply, back, err, 'members');
    }
  });
}
