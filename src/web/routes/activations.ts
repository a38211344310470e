import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { deleteLicenseActivation, listLicenseActivations } from '../../licenses/activation-seller.js';
import { requirePageSession } from '../page-auth.js';
import { FreeSeatPage, LicenseActivationsPage } from '../pages/license-activations.js';
import { sendPage } from '../render.js';

/** A license's seats in the dashboard: the list, and freeing one after a confirmation (PRG). */
export async function activationPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const params = (request: { params: unknown }) => request.params as { licenseId: string; instanceId?: string };

  app.get('/licenses/:licenseId/activations', async (request, reply) => {
    const viewer = request.viewer!;
    const seats = await listLicenseActivations(ctx, viewer.user.id, params(request).licenseId);
    const freed = (request.query as Record<string, string | undefined>).done === 'freed';
    return sendPage(reply, h(LicenseActivationsPage, { viewer, seats, freed }));
  });

  app.get('/licenses/:licenseId/activations/:instanceId/free', async (request, reply) => {
    const viewer = request.viewer!;
    const { licenseId, instanceId } = params(request);
    const seats = await listLicenseActivations(ctx, viewer.user.id, licenseId);
    const instance = seats.activations.find((a) => a.id === instanceId);
    if (!instance) throw new TesseraError('LICENSE_INSTANCE_NOT_FOUND');
    return sendPage(reply, h(FreeSeatPage, { viewer, licenseId: seats.license_id, instance }));
  });

  app.post('/licenses/:licenseId/activations/:instanceId/free', async (request, reply) => {
    const { licenseId, instanceId } = params(request);
    await deleteLicenseActivation(ctx, request.viewer!.user.id, licenseId, instanceId!, actorOf(request));
    return reply.redirect(`/licenses/${encodeURIComponent(licenseId)}/activations?done=freed`, 303);
  });
}
