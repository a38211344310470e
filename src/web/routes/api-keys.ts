import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { createApiKey, revokeApiKey } from '../../apikeys/service.js';
import { regenerateApiKey } from '../../apikeys/regenerate.js';
import { revealApiKey } from '../../apikeys/reveal.js';
import { setRecoverableKeys } from '../../apikeys/settings.js';
import { TesseraError } from '../../http/errors.js';
import { createTeam } from '../../teams/service.js';
import { formProblem } from '../errors.js';
import { formOf, list, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { ApiKeysPage, KEY_EXPIRY_CHOICES, KEY_GRACE_CHOICES, type ApiKeysPageProps } from '../pages/api-keys.js';
import { sendPage } from '../render.js';
import { apiKeysOverview } from '../services/api-keys.js';

/** A duration picked from a form's list; '' is "never" (null). */
function choice(value: string, choices: Array<{ value: string }>): number | null {
  if (value === '') return null;
  if (!choices.some((c) => c.value === value)) throw new TesseraError('VALIDATION_FAILED', 'Choose a duration from the list.');
  return Number(value);
}

const NOTICES: Record<string, string> = {
  revoked: 'Key revoked: it no longer works.',
  recoverable_on: 'Recoverable keys are on for keys created from now on.',
  recoverable_off: 'Recoverable keys are off: every stored key was forgotten.',
  team: 'Team created: you are its owner.',
};

/** API keys: personal keys, team keys, recoverable-keys setting, teams. */
export async function apiKeyPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);

  async function show(request: FastifyRequest, reply: FastifyReply, extra: Partial<ApiKeysPageProps> = {}, status = 200) {
    const viewer = request.viewer!;
    return sendPage(reply, h(ApiKeysPage, { viewer, overview: await apiKeysOverview(ctx, viewer.user.id), ...extra }), status);
  }

  /** Runs a change; a mistake the visitor can fix is shown on the page instead of an error page. */
  async function attempt(request: FastifyRequest, reply: FastifyReply, change: () => Promise<FastifyReply>) {
    try {
      return await change();
    } catch (err) {
      const { status, message } = formProblem(err);
      if (err instanceof TesseraError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
      return show(request, reply, { error: message }, status);
    }
  }

  app.get('/api-keys', async (request, reply) => {
    const notice = NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;
    return show(request, reply, { notice });
  });

  app.post('/api-keys', async (request, reply) => {
    const form = formOf(request.body);
    return attempt(request, reply, async () => {
      const teamId = text(form, 'team_id');
      const { key, apiKey } = await createApiKey(
        ctx,
        request.viewer!.user.id,
        { name: text(form, 'name'), scopes: list(form, 'scopes'), expires_in: choice(text(form, 'expires_in'), KEY_EXPIRY_CHOICES), ...(teamId ? { team_id: teamId } : {}) },
        actorOf(request),
      );
      return show(request, reply, { shown: { name: key.name, secret: apiKey, how: 'created' } }, 201);
    });
  });

  app.post('/api-keys/:id/regenerate', async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = formOf(request.body);
    return attempt(request, reply, async () => {
      const grace = choice(text(form, 'grace_seconds'), KEY_GRACE_CHOICES) ?? 0;
      const { key, apiKey } = await regenerateApiKey(ctx, request.viewer!.user.id, id, { grace_seconds: grace }, actorOf(request));
      return show(request, reply, { shown: { name: key.name, secret: apiKey, how: 'regenerated' } });
    });
  });

  app.post('/api-keys/:id/reveal', async (request, reply) => {
    const { id } = request.params as { id: string };
    const password = formOf(request.body).password;
    return attempt(request, reply, async () => {
      const overview = await apiKeysOverview(ctx, request.viewer!.user.id);
      const secret = await revealApiKey(ctx, request.viewer!.user, id, typeof password === 'string' ? password : '', actorOf(request));
      const name = [...overview.personal, ...overview.teams.flatMap((t) => t.keys ?? [])].find((k) => k.id === id)?.name ?? 'API key';
      return show(request, reply, { shown: { name, secret, how: 'revealed' } });
    });
  });

  app.post('/api-keys/:id/revoke', async (request, reply) => {
    await revokeApiKey(ctx, request.viewer!.user.id, (request.params as { id: string }).id, actorOf(request));
    return reply.redirect('/api-keys?done=revoked', 303);
  });

  app.post('/api-keys/settings', async (request, reply) => {
    const on = text(formOf(request.body), 'recoverable_keys') === 'on';
    await setRecoverableKeys(ctx, request.viewer!.user.id, on, actorOf(request));
    return reply.redirect(`/api-keys?done=${on ? 'recoverable_on' : 'recoverable_off'}`, 303);
  });

  app.post('/api-keys/teams', async (request, reply) => {
    const name = text(formOf(request.body), 'name');
    return attempt(request, reply, async () => {
      await createTeam(ctx, request.viewer!.user.id, { name }, actorOf(request));
      return reply.redirect('/api-keys?done=team', 303);
    });
  });
}
