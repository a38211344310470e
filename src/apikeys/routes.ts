import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireFreshSecondFactor } from '../accounts/second-factor.js';
import { ErrorReply } from '../http/schemas.js';
import * as accounts from '../accounts/store.js';
import { actorOf, requireSession } from '../auth/plugin.js';
import { regenerateApiKey } from './regenerate.js';
import { revealApiKey } from './reveal.js';
import { createApiKey, listApiKeys, revokeApiKey } from './service.js';
import { getKeySettings, setRecoverableKeys } from './settings.js';
import {
  ApiKeyListReply,
  CreateApiKeyBody,
  IssuedKeyReply,
  KeyParams,
  ListApiKeysQuery,
  RegenerateBody,
  RevealBody,
  RevealReply,
  RevokedReply,
  SettingsBody,
  SettingsReply,
} from './schemas.js';

const tags = ['API keys'];
const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 429: ErrorReply };

/** Personal and team API keys for the flows API (session JSON API). */
export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', requireSession);
  const apiUserId = async (userId: string) => (await accounts.findUserById(ctx.db, userId))!.external_id;

  app.post('/api/api-keys', {
    schema: { tags, summary: 'Create an API key (shown once unless recoverable)', body: CreateApiKeyBody, response: { 201: IssuedKeyReply, ...errors } },
    handler: async (request, reply) => {
      const { key, apiKey } = await createApiKey(ctx, request.user!.id, request.body, actorOf(request));
      return reply.code(201).send({ success: true as const, api_key: apiKey, key });
    },
  });

  app.get('/api/api-keys', {
    schema: { tags, summary: 'Your personal keys, or a team’s keys', querystring: ListApiKeysQuery, response: { 200: ApiKeyListReply, ...errors } },
    handler: async (request) => ({
      success: true as const,
      api_user_id: await apiUserId(request.user!.id),
      keys: await listApiKeys(ctx, request.user!.id, request.query.team_id),
    }),
  });

  app.get('/api/api-keys/settings', {
    schema: { tags, summary: 'Your "recoverable keys" setting and flows API user_id', response: { 200: SettingsReply, 401: ErrorReply } },
    handler: async (request) => ({ success: true as const, api_user_id: await apiUserId(request.user!.id), ...(await getKeySettings(ctx, request.user!.id)) }),
  });

  app.put('/api/api-keys/settings', {
    schema: { tags, summary: 'Switch "recoverable keys" (off forgets every stored key)', body: SettingsBody, response: { 200: SettingsReply, ...errors } },
    handler: async (request) => ({
      success: true as const,
      api_user_id: await apiUserId(request.user!.id),
      ...(await setRecoverableKeys(ctx, request.user!.id, request.body.recoverable_keys, actorOf(request))),
    }),
  });

  app.post('/api/api-keys/:id/regenerate', {
    schema: { tags, summary: 'New secret, same name, scopes and expiry', params: KeyParams, body: RegenerateBody, response: { 200: IssuedKeyReply, ...errors } },
    handler: async (request) => {
      const { key, apiKey } = await regenerateApiKey(ctx, request.user!.id, request.params.id, request.body, actorOf(request));
      return { success: true as const, api_key: apiKey, key };
    },
  });

  app.post('/api/api-keys/:id/reveal', {
    schema: { tags, summary: 'Show a recoverable key again (password required, audited)', params: KeyParams, body: RevealBody, response: { 200: RevealReply, ...errors } },
    handler: async (request) => {
      // With a second factor: proved in the last minutes (POST /api/session/step-up), else 403.
      requireFreshSecondFactor(ctx, request.user!);
      return {
        success: true as const,
        api_key: await revealApiKey(ctx, request.user!, request.params.id, request.body.password, actorOf(request)),
      };
    },
  });

  app.delete('/api/api-keys/:id', {
    schema: { tags, summary: 'Revoke an API key at once', params: KeyParams, response: { 200: RevokedReply, ...errors } },
    handler: async (request) => {
      await revokeApiKey(ctx, request.user!.id, request.params.id, actorOf(request));
      return { success: true as const, revoked: true as const };
    },
  });
};
