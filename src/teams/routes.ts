import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorReply } from '../accounts/schemas.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { setTeamRecoverableKeys } from '../apikeys/settings.js';
import * as service from './service.js';
import {
  AddMemberBody,
  ChangeRoleBody,
  CreateTeamBody,
  MemberParams,
  MemberReply,
  OkReply,
  TeamDetailReply,
  TeamListReply,
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
      if (request.body.recoverable_keys !== undefined) await setTeamRecoverableKeys(ctx, request.user!.id, id, request.body.recoverable_keys, actor);
      return { success: true as const, team: await service.getTeam(ctx, request.user!.id, id) };
    },
  });

  app.post('/api/teams/:id/members', {
    schema: { tags, summary: 'Add an existing account to the team by email (owners, admins)', params: TeamParams, body: AddMemberBody, response: { 201: MemberReply, ...errors } },
    handler: async (request, reply) => {
      const member = await service.addMember(ctx, request.user!.id, request.params.id, request.body, actorOf(request));
      return reply.code(201).send({ success: true as const, member });
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
    schema: { tags, summary: 'Remove a member, or leave the team', params: MemberParams, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await service.removeMember(ctx, request.user!.id, request.params.id, request.params.userId, actorOf(request));
      return { success: true as const };
    },
  });
};
