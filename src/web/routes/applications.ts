import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import * as applications from '../../applications/service.js';
import { actorOf } from '../../auth/plugin.js';
import { ALL_SCOPES } from '../../auth/scopes.js';
import { TesseraError } from '../../http/errors.js';
import type { IssuedToken } from '../../tokens/service.js';
import { askFirst, queryChoice, queryList, sendConfirmation } from '../confirm.js';
import { secretConsequence, tokenConsequence } from '../services/consequences.js';
import { backWithError, flashOf, formErrorOf, readFlash, redirectWithFlash } from '../flash.js';
import { checked, file, formOf, list, text, type FormBody } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { ApplicationPage, TOKEN_EXPIRY_CHOICES, type ApplicationPageProps } from '../pages/application.js';
import { DeleteApplicationPage } from '../pages/application-delete.js';
import { SettingsAdvancedPage } from '../pages/settings-advanced.js';
import { sendPage } from '../render.js';
import { countLiveTokens, liveTokensOf } from '../services/application-tokens.js';
import { stepUpFirst } from '../step-up.js';

const BASE = '/settings/advanced/applications';
const pathOf = (id: string, rest = '') => `${BASE}/${encodeURIComponent(id)}${rest}`;

/** An expiry or lifetime picked from the form's choices; '' means never. */
function seconds(form: FormBody, name: string): number | null {
  const value = text(form, name);
  if (value === '') return null;
  if (!TOKEN_EXPIRY_CHOICES.some((c) => c.value === value)) throw new TesseraError('VALIDATION_FAILED', 'Choose a duration from the list.');
  return Number(value);
}

/**
 * Settings → Advanced → Applications, over the applications service. Every POST redirects; the
 * client secret and the access token travel to the next page in a one-time flash.
 */
export async function applicationPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  app.get('/settings/advanced', async (request, reply) => {
    const viewer = request.viewer!;
    const deleted = (request.query as Record<string, string>).deleted;
    const failed = formErrorOf(await readFlash(request), 'create');
    return sendPage(
      reply,
      h(SettingsAdvancedPage, {
        viewer,
        applications: await applications.listApplications(ctx, viewer.user.id),
        deleted: deleted !== undefined && /^\d+$/.test(deleted) ? { revokedTokens: Number(deleted) } : null,
        form: failed ? { name: failed.values.name ?? '', redirect_uri: failed.values.redirect_uri ?? '', error: failed.error } : null,
      }),
    );
  });

  app.post(BASE, async (request, reply) => {
    const viewer = request.viewer!;
    const form = formOf(request.body);
    const input = { name: text(form, 'name'), redirect_uri: text(form, 'redirect_uri'), icon: file(form, 'icon') };
    try {
      const { application, clientSecret } = await applications.createApplication(ctx, viewer.user.id, input, actorOf(request));
      return redirectWithFlash(request, reply, pathOf(application.id), 'client-secret', { secret: clientSecret, created: true });
    } catch (err) {
      return backWithError(request, reply, '/settings/advanced', err, 'create', { name: input.name, redirect_uri: input.redirect_uri });
    }
  });

  app.get(`${BASE}/:id`, async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const application = await applications.getApplication(ctx, viewer.user.id, idOf(request));
    const liveTokens = await liveTokensOf(ctx, viewer.user.id, application.id);
    const liveTokenCount = await countLiveTokens(ctx, viewer.user.id, application.id);
    const secret = flashOf<{ secret: string; created?: boolean }>(flash, 'client-secret');
    const issued = flashOf<{ issued: IssuedToken }>(flash, 'token')?.issued;
    const edit = formErrorOf(flash, 'edit');
    const props: ApplicationPageProps = {
      viewer,
      application,
      origin: origin(request),
      liveTokens,
      liveTokenCount,
      clientSecret: secret?.secret,
      created: secret?.created === true,
      issued,
      alreadyShown: flash.alreadyShown,
      saved: (request.query as Record<string, string>).saved === '1',
      tokenError: formErrorOf(flash, 'token')?.error,
      editError: edit?.error,
      editValues: edit?.values,
    };
    return sendPage(reply, h(ApplicationPage, props));
  });

  app.post(`${BASE}/:id`, async (request, reply) => {
    const form = formOf(request.body);
    const icon = file(form, 'icon');
    try {
      await applications.updateApplication(
        ctx,
        request.viewer!.user.id,
        idOf(request),
        {
          name: text(form, 'name'),
          redirect_uri: text(form, 'redirect_uri'),
          scopes: list(form, 'scopes'),
          access_token_lifetime: seconds(form, 'access_token_lifetime'),
          ...(icon ? { icon } : checked(form, 'remove_icon') ? { icon: null } : {}),
        },
        actorOf(request),
      );
      return reply.redirect(`${pathOf(idOf(request))}?saved=1`, 303);
    } catch (err) {
      return backWithError(request, reply, pathOf(idOf(request)), err, 'edit', { name: text(form, 'name'), redirect_uri: text(form, 'redirect_uri') });
    }
  });

  app.get(`${BASE}/:id/secret`, async (request, reply) => {
    const application = await applications.getApplication(ctx, request.viewer!.user.id, idOf(request));
    return sendConfirmation(request, reply, {
      title: `Regenerate the client secret of “${application.name}”?`,
      consequence: secretConsequence(application.name),
      button: 'Regenerate client secret',
      cancelHref: pathOf(application.id),
      active: 'applications',
    });
  });

  app.post(`${BASE}/:id/secret`, async (request, reply) => {
    // Confirmed, then (with a second factor) a fresh one: the step-up page comes back to the confirmation.
    const asked = askFirst(request, reply) ?? stepUpFirst(request, reply, `${pathOf(idOf(request))}/secret`);
    if (asked) return asked;
    const clientSecret = await applications.regenerateClientSecret(ctx, request.viewer!.user.id, idOf(request), actorOf(request));
    return redirectWithFlash(request, reply, pathOf(idOf(request)), 'client-secret', { secret: clientSecret });
  });

  /** The owner token of this application that a new one would replace, if any. */
  const currentOwnerToken = async (request: FastifyRequest) =>
    (await liveTokensOf(ctx, request.viewer!.user.id, idOf(request))).find((t) => t.kind === 'owner');

  app.get(`${BASE}/:id/token`, async (request, reply) => {
    const application = await applications.getApplication(ctx, request.viewer!.user.id, idOf(request));
    const current = await currentOwnerToken(request);
    return sendConfirmation(request, reply, {
      title: `Generate a new access token for “${application.name}”?`,
      consequence: current ? tokenConsequence(current.hint) : 'This application holds no access token of yours yet: nothing stops working.',
      button: 'Generate access token',
      cancelHref: pathOf(application.id),
      active: 'applications',
      fields: {
        scopes: queryList(request, 'scopes', ALL_SCOPES),
        expires_in: queryChoice(request, 'expires_in', TOKEN_EXPIRY_CHOICES.map((c) => c.value), ''),
      },
    });
  });

  app.post(`${BASE}/:id/token`, async (request, reply) => {
    const form = formOf(request.body);
    if (await currentOwnerToken(request)) {
      const asked = askFirst(request, reply, ['scopes', 'expires_in']);
      if (asked) return asked;
    }
    try {
      const issued = await applications.generateOwnerToken(
        ctx,
        request.viewer!.user.id,
        idOf(request),
        { scopes: list(form, 'scopes'), expires_in: seconds(form, 'expires_in') },
        actorOf(request),
      );
      return redirectWithFlash(request, reply, pathOf(idOf(request)), 'token', { issued });
    } catch (err) {
      return backWithError(request, reply, pathOf(idOf(request)), err, 'token');
    }
  });

  app.get(`${BASE}/:id/delete`, async (request, reply) => {
    const viewer = request.viewer!;
    const application = await applications.getApplication(ctx, viewer.user.id, idOf(request));
    const liveTokens = await countLiveTokens(ctx, viewer.user.id, application.id);
    return sendPage(reply, h(DeleteApplicationPage, { viewer, application, liveTokens }));
  });

  app.post(`${BASE}/:id/delete`, async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const { revokedTokens } = await applications.deleteApplication(ctx, request.viewer!.user.id, idOf(request), actorOf(request));
    return reply.redirect(`/settings/advanced?deleted=${revokedTokens}`, 303);
  });
}
