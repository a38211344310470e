import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorReply } from '../http/schemas.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import * as invitations from './invitations.js';
import * as service from './service.js';
import {
  AddMemberBody,
  ChangeRoleBody,
  CreateTeamBody,
  InvitationListReply,
  InvitationParams,
  InvitationReply,
  MemberParams,
  OkReply,
  TeamDetailReply,
  TeamListReply,
  TeamInvitationParams,
  TeamParams,
  TeamReply,
  UpdateTeamBody,
} from './schemas.js';

const tags = ['Teams'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };

/** Teams and their members, for the dashboard (session JSON API). */
export const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);

  app.post('/api/teams', {
    schema: { tags, summary: 'Create a team (you become its owner)', body: CreateTeamBody, response: { 201: TeamReply, ...errors } },
    handler: async (request, reply) => {
      const team = await service.createTeam(ctx, request.user!.id, request.body, actorOf(request));
      return reply.code(201).send({ success: true as const, team });
    },
  });

  app.get('/api/teams', {
    schema: { tags, summary: 'Teams you belong to', response: { 200: TeamListReply, 401: ErrorReply } },
    handler: async (request) => ({ success: true as const, teams: await service.listTeams(ctx, request.user!.id) }),
  });

  app.get('/api/teams/:id', {
    schema: { tags, summary: 'A team and its members', params: TeamParams, response: { 200: TeamDetailReply, ...errors } },
    handler: async (request) => ({ success: true as const, team: await service.getTeam(ctx, request.user!.id, request.params.id) }),
  });

  app.patch('/api/teams/:id', {
    schema: { tags, summary: 'Rename a team or switch "recoverable keys" (owners)', params: TeamParams, body: UpdateTeamBody, response: { 200: TeamDetailReply, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const actor = actorOf(request);
      if (request.body.name !== undefined) await service.renameTeam(ctx, request.user!.id, id, request.body.name, actor);
      if (request.body.recoverable_keys !== undefined) await service.setRecoverableKeys(ctx, request.user!.id, id, request.body.recoverable_keys, actor);
      return { success: true as const, team: await service.getTeam(ctx, request.user!.id, id) };
    },
  });

  app.post('/api/teams/:id/members', {
    schema: {
      tags,
      summary: 'Invite an email to the team (owners, admins): the account joins when it accepts',
      description: 'The answer is the same whether or not the email has an account. Until the invitee accepts, no team key acts for it.',
      params: TeamParams,
      body: AddMemberBody,
      response: { 201: InvitationReply, ...errors },
    },
    handler: async (request, reply) => {
      const invitation = await invitations.inviteMember(ctx, request.user!.id, request.params.id, request.body, actorOf(request));
      return reply.code(201).send({ success: true as const, invitation });
    },
  });

  app.get('/api/teams/:id/invitations', {
    schema: { tags, summary: "The team's pending invitations (owners, admins)", params: TeamParams, response: { 200: InvitationListReply, ...errors } },
    handler: async (request) => ({ success: true as const, invitations: await invitations.listTeamInvitations(ctx, request.user!.id, request.params.id) }),
  });

  app.delete('/api/teams/:id/invitations/:invitationId', {
    schema: { tags, summary: 'Cancel a pending invitation (owners, admins)', params: TeamInvitationParams, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await invitations.cancelInvitation(ctx, request.user!.id, request.params.id, request.params.invitationId, actorOf(request));
      return { success: true as const };
    },
  });

  app.get('/api/invitations', {
    schema: { tags, summary: 'Team invitations waiting for you', response: { 200: InvitationListReply, 401: ErrorReply } },
    handler: async (request) => ({ success: true as const, invitations: await invitations.listMyInvitations(ctx, request.user!) }),
  });

  app.post('/api/invitations/:id/accept', {
    schema: { tags, summary: 'Accept a team invitation: you join the team with its role', params: InvitationParams, response: { 200: TeamReply, ...errors } },
    handler: async (request) => ({ success: true as const, team: await invitations.acceptInvitation(ctx, request.user!, request.params.id, actorOf(request)) }),
  });

  app.post('/api/invitations/:id/decline', {
    schema: { tags, summary: 'Decline a team invitation', params: InvitationParams, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await invitations.declineInvitation(ctx, request.user!, request.params.id, actorOf(request));
      return { success: true as const };
    },
  });

  app.patch('/api/teams/:id/members/:userId', {
    schema: { tags, summary: "Change a member's role (owners)", params: MemberParams, body: ChangeRoleBody, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await service.changeRole(ctx, request.user!.id, request.params.id, request.params.userId, request.body.role, actorOf(request));
      return { success: true as const };
    },
  });

  app.delete('/api/teams/:id/members/:userId', {
    schema: { tags, summary: 'Remove a member (owners, admins), or leave the team (your own id): team keys stop acting for them at once', params: MemberParams, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await service.removeMember(ctx, request.user!.id, request.params.id, request.params.userId, actorOf(request));
      return { success: true as const };
    },
  });
};
