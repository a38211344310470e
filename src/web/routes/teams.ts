import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { acceptInvitation, declineInvitation, listMyInvitations } from '../../teams/invitations.js';
import { listTeams, removeMember } from '../../teams/service.js';
import { requirePageSession } from '../page-auth.js';
import { TeamConfirmPage, TeamsPage } from '../pages/teams.js';
import { sendPage } from '../render.js';

const NOTICES: Record<string, string> = {
  accepted: 'Invitation accepted: you are a member of the team.',
  declined: 'Invitation declined.',
  left: 'You left the team: its keys no longer act for you.',
};

/** Teams: the invitee accepts or declines invitations (Post/Redirect/Get) and leaves teams. */
export async function teamPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/teams', async (request, reply) => {
    const viewer = request.viewer!;
    const notice = NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;
    const [invitations, teams] = await Promise.all([listMyInvitations(ctx, viewer.user), listTeams(ctx, viewer.user.id)]);
    return sendPage(reply, h(TeamsPage, { viewer, invitations, teams, notice }));
  });

  app.post('/teams/invitations/:id/accept', async (request, reply) => {
    await acceptInvitation(ctx, request.viewer!.user, idOf(request), actorOf(request));
    return reply.redirect('/teams?done=accepted', 303);
  });

  app.get('/teams/invitations/:id/decline', async (request, reply) => {
    const viewer = request.viewer!;
    const invitation = (await listMyInvitations(ctx, viewer.user)).find((i) => i.id === idOf(request));
    if (!invitation) throw new TesseraError('TEAM_INVITATION_NOT_FOUND');
    const page = h(TeamConfirmPage, {
      viewer,
      title: `Decline the invitation to “${invitation.team.name}”?`,
      consequence: `${invitation.invited_by} would have to invite you again.`,
      action: `/teams/invitations/${encodeURIComponent(invitation.id)}/decline`,
      button: 'Decline invitation',
    });
    return sendPage(reply, page);
  });

  app.post('/teams/invitations/:id/decline', async (request, reply) => {
    await declineInvitation(ctx, request.viewer!.user, idOf(request), actorOf(request));
    return reply.redirect('/teams?done=declined', 303);
  });

  app.get('/teams/:id/leave', async (request, reply) => {
    const viewer = request.viewer!;
    const team = (await listTeams(ctx, viewer.user.id)).find((t) => t.id === idOf(request));
    if (!team) throw new TesseraError('TEAM_NOT_FOUND');
    const page = h(TeamConfirmPage, {
      viewer,
      title: `Leave “${team.name}”?`,
      consequence: "The team's keys stop acting for you at once; an owner or admin would have to invite you again.",
      action: `/teams/${encodeURIComponent(team.id)}/leave`,
      button: 'Leave team',
    });
    return sendPage(reply, page);
  });

  app.post('/teams/:id/leave', async (request, reply) => {
    const viewer = request.viewer!;
    await removeMember(ctx, viewer.user.id, idOf(request), viewer.user.id, actorOf(request));
    return reply.redirect('/teams?done=left', 303);
  });
}
