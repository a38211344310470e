import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import * as applications from '../../applications/service.js';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { formProblem } from '../errors.js';
import { checked, file, formOf, list, text, type FormBody } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { ApplicationPage, TOKEN_EXPIRY_CHOICES, type ApplicationPageProps } from '../pages/application.js';
import { DeleteApplicationPage } from '../pages/application-delete.js';
import { SettingsAdvancedPage } from '../pages/settings-advanced.js';
import { sendPage } from '../render.js';
import { countLiveTokens, liveTokensOf } from '../services/application-tokens.js';

const BASE = '/settings/advanced/applications';

/** A mistake in the form is shown on the form; anything else becomes an error page. */
const userError = (err: unknown) => formProblem(err).message;

/** An expiry or lifetime picked from the form's choices; '' means never. */
function seconds(form: FormBody, name: string): number | null {
  const value = text(form, name);
  if (value === '') return null;
  if (!TOKEN_EXPIRY_CHOICES.some((c) => c.value === value)) throw new TesseraError('VALIDATION_FAILED', 'Choose a duration from the list.');
  return Number(value);
}

/** Settings → Advanced → Applications, over the applications service. */
export async function applicationPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  async function showApplication(request: FastifyRequest, reply: FastifyReply, id: string, extra: Partial<ApplicationPageProps> = {}, status = 200) {
    const viewer = request.viewer!;
    const application = await applications.getApplication(ctx, viewer.user.id, id);
    const liveTokens = await liveTokensOf(ctx, viewer.user.id, id);
    return sendPage(reply, h(ApplicationPage, { viewer, application, origin: origin(request), liveTokens, ...extra }), status);
  }

  app.get('/settings/advanced', async (request, reply) => {
    const viewer = request.viewer!;
    const deleted = (request.query as Record<string, string>).deleted;
    return sendPage(
      reply,
      h(SettingsAdvancedPage, {
        viewer,
        applications: await applications.listApplications(ctx, viewer.user.id),
        deleted: deleted !== undefined && /^\d+$/.test(deleted) ? { revokedTokens: Number(deleted) } : null,
      }),
    );
  });

  app.post(BASE, async (request, reply) => {
    const viewer = request.viewer!;
    const form = formOf(request.body);
    const input = { name: text(form, 'name'), redirect_uri: text(form, 'redirect_uri'), icon: file(form, 'icon') };
    try {
      const { application, clientSecret } = await applications.createApplication(ctx, viewer.user.id, input, actorOf(request));
      return showApplication(request, reply, application.id, { clientSecret, created: true }, 201);
    } catch (err) {
      const error = userError(err);
      const existing = await applications.listApplications(ctx, viewer.user.id);
      return sendPage(reply, h(SettingsAdvancedPage, { viewer, applications: existing, form: { name: input.name, redirect_uri: input.redirect_uri, error } }), 400);
    }
  });

  app.get(`${BASE}/:id`, async (request, reply) => {
    const saved = (request.query as Record<string, string>).saved === '1';
    return showApplication(request, reply, idOf(request), { saved });
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
      return reply.redirect(`${BASE}/${encodeURIComponent(idOf(request))}?saved=1`, 303);
    } catch (err) {
      return showApplication(request, reply, idOf(request), { editError: userError(err) }, 400);
    }
  });

  app.post(`${BASE}/:id/secret`, async (request, reply) => {
    const clientSecret = await applications.regenerateClientSecret(ctx, request.viewer!.user.id, idOf(request), actorOf(request));
    return showApplication(request, reply, idOf(request), { clientSecret });
  });

  app.post(`${BASE}/:id/token`, async (request, reply) => {
    const form = formOf(request.body);
    try {
      const issued = await applications.generateOwnerToken(
        ctx,
        request.viewer!.user.id,
        idOf(request),
        { scopes: list(form, 'scopes'), expires_in: seconds(form, 'expires_in') },
        actorOf(request),
      );
      return showApplication(request, reply, idOf(request), { issued }, 201);
    } catch (err) {
      return showApplication(request, reply, idOf(request), { tokenError: userError(err) }, 400);
    }
  });

  app.get(`${BASE}/:id/delete`, async (request, reply) => {
    const viewer = request.viewer!;
    const application = await applications.getApplication(ctx, viewer.user.id, idOf(request));
    const liveTokens = await countLiveTokens(ctx, viewer.user.id, application.id);
    return sendPage(reply, h(DeleteApplicationPage, { viewer, application, liveTokens }));
  });

  app.post(`${BASE}/:id/delete`, async (request, reply) => {
    const { revokedTokens } = await applications.deleteApplication(ctx, request.viewer!.user.id, idOf(request), actorOf(request));
    return reply.redirect(`/settings/advanced?deleted=${revokedTokens}`, 303);
  });
}
