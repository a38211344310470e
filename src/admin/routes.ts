import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorReply } from '../http/schemas.js';
import { requireFreshSecondFactor } from '../accounts/second-factor.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { secondFactorPolicy, setSecondFactorRequired, type SecondFactorPolicy } from './instance-settings.js';
import * as invitations from './invitations.js';
import * as service from './service.js';
import {
  AccountListQuery,
  AccountListReply,
  AccountParams,
  AccountReply,
  CapabilitiesBody,
  CapabilitiesReply,
  DeletedReply,
  DisableBody,
  InvitationListReply,
  InvitationParams,
  InvitationReply,
  InviteBody,
  OkReply,
  SettingsBody,
  SettingsReply,
} from './schemas.js';

const tags = ['Admin'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };

/**
 * Only an instance owner may; anyone else is answered as if the admin API did not exist (404),
 * the way a foreign resource is.
 */
export async function requireOwner(request: FastifyRequest): Promise<void> {
  if (!request.user?.isOwner) throw new TesseraError('NOT_FOUND');
}

const settingsReply = (policy: SecondFactorPolicy) => ({
  success: true as const,
  settings: { require_second_factor: policy.bySetting },
  second_factor: { required: policy.required, by_environment: policy.byEnvironment, accounts_without: policy.accountsWithout },
});

/** The instance owner's JSON API (session): accounts, invitations, capabilities, instance settings. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);
  app.addHook('preValidation', requireOwner);

  app.get('/api/admin/accounts', {
    schema: { tags, summary: 'Accounts, newest first (search by part of an email)', querystring: AccountListQuery, response: { 200: AccountListReply, ...errors } },
    handler: async (request) => ({ success: true as const, ...(await service.listAccounts(ctx, request.query)) }),
  });

  app.get('/api/admin/accounts/:id', {
    schema: { tags, summary: 'One account: capabilities and what deleting it removes', params: AccountParams, response: { 200: AccountReply, ...errors } },
    handler: async (request) => ({ success: true as const, account: await service.showAccount(ctx, request.params.id) }),
  });

  app.post('/api/admin/accounts/:id/disable', {
    schema: { tags, summary: "Disable an account: its sessions, tokens and API keys are refused at once", params: AccountParams, body: DisableBody, response: { 200: AccountReply, ...errors } },
    handler: async (request) => ({
      success: true as const,
      account: await service.disableAccount(ctx, request.params.id, { stopLicenses: request.body.stop_licenses === true }, actorOf(request)),
    }),
  });

  app.post('/api/admin/accounts/:id/enable', {
    schema: { tags, summary: 'Enable a disabled account again (its licenses too)', params: AccountParams, response: { 200: AccountReply, ...errors } },
    handler: async (request) => ({ success: true as const, account: await service.enableAccount(ctx, request.params.id, actorOf(request)) }),
  });

  app.delete('/api/admin/accounts/:id', {
    schema: { tags, summary: 'Delete an account and everything it owns (with a second factor: a fresh one)', params: AccountParams, response: { 200: DeletedReply, ...errors } },
    handler: async (request) => {
      // With a second factor: proved in the last minutes (POST /api/session/step-up), else 403.
      requireFreshSecondFactor(ctx, request.user!);
      return { success: true as const, deleted: await service.deleteAccount(ctx, request.params.id, actorOf(request)) };
    },
  });

  app.patch('/api/admin/accounts/:id/capabilities', {
    schema: { tags, summary: 'Set capabilities (yes / no / a number / unlimited / default)', params: AccountParams, body: CapabilitiesBody, response: { 200: CapabilitiesReply, ...errors } },
    handler: async (request) => ({ success: true as const, capabilities: await service.setCapabilities(ctx, request.params.id, request.body, actorOf(request)) }),
  });

  app.get('/api/admin/settings', {
    schema: { tags, summary: "The instance's settings: whether every account must have a second factor", response: { 200: SettingsReply, ...errors } },
    handler: async () => settingsReply(await secondFactorPolicy(ctx)),
  });

  app.put('/api/admin/settings', {
    schema: { tags, summary: 'Change instance settings (stored in the database: every node follows at once; audited)', body: SettingsBody, response: { 200: SettingsReply, ...errors } },
    handler: async (request) => settingsReply(await setSecondFactorRequired(ctx, request.body.require_second_factor, actorOf(request))),
  });

  app.post('/api/admin/invitations', {
    schema: { tags, summary: 'Invite an email to sign up (single-use link; mailed when SMTP is set)', body: InviteBody, response: { 201: InvitationReply, ...errors } },
    handler: async (request, reply) => {
      const sent = await invitations.inviteAccount(ctx, { email: request.body.email, invitedBy: request.user!.id }, actorOf(request));
      return reply.code(201).send({ success: true as const, ...sent });
    },
  });

  app.get('/api/admin/invitations', {
    schema: { tags, summary: 'The latest invitations', response: { 200: InvitationListReply, ...errors } },
    handler: async () => ({ success: true as const, invitations: await invitations.listInvitations(ctx) }),
  });

  app.delete('/api/admin/invitations/:id', {
    schema: { tags, summary: 'Cancel a pending invitation', params: InvitationParams, response: { 200: OkReply, ...errors } },
    handler: async (request) => {
      await invitations.cancelInvitation(ctx, request.params.id, actorOf(request));
      return { success: true as const };
    },
  });
};
