import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { listAuthorizedApplications, revokeAuthorizedApplication } from '../../oauth/authorized-applications-service.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { TesseraError } from '../../http/errors.js';
import { requirePageSession } from '../page-auth.js';
import { revokeAccessConsequence } from '../services/consequences.js';
import { AuthorizedApplicationsPage } from '../pages/authorized-applications.js';
import { sendPage } from '../render.js';

const PATH = '/settings/authorized-applications';

/** Settings → Authorized applications, over the OAuth server's services. */
export async function authorizedApplicationPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);

  app.get(PATH, async (request, reply) => {
    const viewer = request.viewer!;
    const q = request.query as Record<string, string>;
    const revoked = /^\d+$/.test(q.revoked ?? '') ? { tokens: Number(q.revoked) } : null;
    return sendPage(reply, h(AuthorizedApplicationsPage, { viewer, applications: await listAuthorizedApplications(ctx, viewer.user.id), revoked }));
  });

  app.get(`${PATH}/:applicationId/revoke`, async (request, reply) => {
    const { applicationId } = request.params as { applicationId: string };
    const found = (await listAuthorizedApplications(ctx, request.viewer!.user.id)).find((a) => a.application_id === applicationId);
    if (!found) throw new TesseraError('NOT_FOUND', 'This application holds no access to your account.');
    return sendConfirmation(request, reply, {
      title: `Revoke the access of “${found.name}”?`,
      consequence: revokeAccessConsequence(found.name),
      button: 'Revoke access',
      cancelHref: PATH,
      active: 'authorized',
    });
  });

  app.post(`${PATH}/:applicationId/revoke`, async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const { applicationId } = request.params as { applicationId: string };
    const { revokedTokens } = await revokeAuthorizedApplication(ctx, request.viewer!.user.id, applicationId, actorOf(request));
    return reply.redirect(`${PATH}?revoked=${revokedTokens}`, 303);
  });
}
