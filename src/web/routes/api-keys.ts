import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { createApiKey, requireManagedKey, revokeApiKey } from '../../apikeys/service.js';
import { regenerateApiKey } from '../../apikeys/regenerate.js';
import { revealApiKey } from '../../apikeys/reveal.js';
import { setRecoverableKeys } from '../../apikeys/settings.js';
import { TesseraError } from '../../http/errors.js';
import { createTeam } from '../../teams/service.js';
import { askFirst, queryChoice, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, grantSession, readFlash, redirectWithFlash } from '../flash.js';
import { formOf, list, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { ApiKeysPage, KEY_EXPIRY_CHOICES, KEY_GRACE_CHOICES, type ApiKeysPageProps } from '../pages/api-keys.js';
import { sendPage } from '../render.js';
import { apiKeysOverview } from '../services/api-keys.js';
import { forgetKeysConsequence, regenerateKeyConsequence, revokeKeyConsequence } from '../services/consequences.js';
import { stepUpFirst } from '../step-up.js';

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

/** Where a key's form comes back to: a team's page when it came from there, else /api-keys. */
export function keysReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/teams\/[A-Za-z0-9_-]{1,64}$/.test(value) ? value : '/api-keys';
}

/** How long a confirmed password lets recoverable keys fill in (the flow webhook panel). */
export const PASSWORD_GRANT_MS = 15 * 60 * 1000;

/**
 * API keys: personal keys, team keys, recoverable-keys setting, teams. Every POST redirects; a
 * new, regenerated or revealed secret reaches the page in a one-time flash.
 */
export async function apiKeyPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const keyOf = async (request: FastifyRequest) => requireManagedKey(ctx.db, request.viewer!.user.id, idOf(request));

  app.get('/api-keys', async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const props: ApiKeysPageProps = {
      viewer,
      overview: await apiKeysOverview(ctx, viewer.user.id),
      notice: NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null,
      shown: flashOf<NonNullable<ApiKeysPageProps['shown']>>(flash, 'api-key'),
      error: flash.kind === 'error' ? String(flash.data!.error) : null,
      alreadyShown: flash.alreadyShown,
    };
    return sendPage(reply, h(ApiKeysPage, props));
  });

  /** Runs a change; a mistake the visitor can fix goes back to the page in a flash. */
  async function attempt(request: FastifyRequest, reply: FastifyReply, change: (back: string) => Promise<FastifyReply>) {
    const back = keysReturnPath(formOf(request.body).return_to);
    try {
      return await change(back);
    } catch (err) {
      return backWithError(request, reply, back, err, 'api-keys');
    }
  }
  const queryBack = (request: FastifyRequest) => keysReturnPath((request.query as Record<string, unknown>).return_to);

  app.post('/api-keys', async (request, reply) => {
    const form = formOf(request.body);
    return attempt(request, reply, async (back) => {
      const teamId = text(form, 'team_id');
      const { key, apiKey } = await createApiKey(
        ctx,
        request.viewer!.user.id,
        { name: text(form, 'name'), scopes: list(form, 'scopes'), expires_in: choice(text(form, 'expires_in'), KEY_EXPIRY_CHOICES), ...(teamId ? { team_id: teamId } : {}) },
        actorOf(request),
      );
      return redirectWithFlash(request, reply, back, 'api-key', { name: key.name, secret: apiKey, how: 'created' });
    });
  });

  app.get('/api-keys/:id/regenerate', async (request, reply) => {
    const key = await keyOf(request);
    const grace = queryChoice(request, 'grace_seconds', KEY_GRACE_CHOICES.map((c) => c.value), '0');
    return sendConfirmation(request, reply, {
      title: `Regenerate “${key.name}”?`,
      consequence: regenerateKeyConsequence(key.name, key.hint, Number(grace)),
      button: 'Regenerate key',
      cancelHref: queryBack(request),
      active: 'api-keys',
      fields: { grace_seconds: grace, return_to: queryBack(request) },
    });
  });

  app.post('/api-keys/:id/regenerate', async (request, reply) => {
    const asked = askFirst(request, reply, ['grace_seconds', 'return_to']);
    if (asked) return asked;
    const form = formOf(request.body);
    return attempt(request, reply, async (back) => {
      const grace = choice(text(form, 'grace_seconds'), KEY_GRACE_CHOICES) ?? 0;
      const { key, apiKey } = await regenerateApiKey(ctx, request.viewer!.user.id, idOf(request), { grace_seconds: grace }, actorOf(request));
      return redirectWithFlash(request, reply, back, 'api-key', { name: key.name, secret: apiKey, how: 'regenerated' });
    });
  });

  app.post('/api-keys/:id/reveal', async (request, reply) => {
    // With a second factor, a fresh one first (the step-up page comes back here to reveal again).
    const stale = stepUpFirst(request, reply, '/api-keys');
    if (stale) return stale;
    const password = formOf(request.body).password;
    return attempt(request, reply, async (back) => {
      const viewer = request.viewer!;
      const key = await keyOf(request);
      const secret = await revealApiKey(ctx, viewer.user, key.id, typeof password === 'string' ? password : '', actorOf(request));
      await grantSession(ctx, viewer.user.sessionId, 'password', PASSWORD_GRANT_MS);
      return redirectWithFlash(request, reply, back, 'api-key', { name: key.name, secret, how: 'revealed' });
    });
  });

  app.get('/api-keys/:id/revoke', async (request, reply) => {
    const key = await keyOf(request);
    return sendConfirmation(request, reply, {
      title: `Revoke “${key.name}”?`,
      consequence: revokeKeyConsequence(key.name, key.hint),
      button: 'Revoke key',
      cancelHref: queryBack(request),
      active: 'api-keys',
      fields: { return_to: queryBack(request) },
    });
  });

  app.post('/api-keys/:id/revoke', async (request, reply) => {
    const asked = askFirst(request, reply, ['return_to']);
    if (asked) return asked;
    await revokeApiKey(ctx, request.viewer!.user.id, idOf(request), actorOf(request));
    return reply.redirect(`${keysReturnPath(formOf(request.body).return_to)}?done=revoked`, 303);
  });

  app.get('/api-keys/settings', async (request, reply) => {
    const overview = await apiKeysOverview(ctx, request.viewer!.user.id);
    const stored = overview.personal.filter((k) => k.recoverable).length;
    return sendConfirmation(request, reply, {
      title: 'Turn off recoverable keys?',
      consequence: forgetKeysConsequence(stored),
      button: 'Turn off and forget stored keys',
      cancelHref: '/api-keys',
      active: 'api-keys',
      fields: { recoverable_keys: 'off' },
    });
  });

  app.post('/api-keys/settings', async (request, reply) => {
    const on = text(formOf(request.body), 'recoverable_keys') === 'on';
    if (!on) {
      const asked = askFirst(request, reply, ['recoverable_keys']);
      if (asked) return asked;
    }
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
