import { VerificationsPerDayChart } from '../dashboard-charts.js';
import { licenseVerificationPoints } from '../services/charts.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { deleteLicenseActivation, listLicenseActivations, setLicenseActivationLimit } from '../../licenses/activation-seller.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { formProblem } from '../errors.js';
import { formOf, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { LicenseActivationsPage, seatsPath, type LicenseActivationsProps } from '../pages/license-activations.js';
import { sendPage } from '../render.js';
import { freeSeatConsequence } from '../services/consequences.js';
import { licenseSummary } from '../services/licenses.js';

/**
 * A license's seats in the dashboard, over the seller side of the activations service (the
 * same as GET / DELETE /v2/licenses/:license_id/activations and PUT …/activation_limit): the
 * list, freeing a seat after asking (a dialog with script, a confirmation page without), and the
 * license's own seat limit. Every POST redirects (303); a bad limit re-renders the form (400).
 */
export async function activationPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const params = (request: { params: unknown }) => request.params as { licenseId: string; instanceId?: string };

  async function showSeats(request: FastifyRequest, reply: FastifyReply, extra: Partial<LicenseActivationsProps> = {}, status = 200) {
    const viewer = request.viewer!;
    const { licenseId } = params(request);
    const seats = await listLicenseActivations(ctx, viewer.user.id, licenseId);
    const license = await licenseSummary(ctx, viewer.user.id, seats.license_id);
    const charts = h(VerificationsPerDayChart, { points: await licenseVerificationPoints(ctx, viewer.user.id, seats.license_id), title: 'Verifications of this license per day, last 30 days' });
    return sendPage(reply, h(LicenseActivationsPage, { viewer, seats, license, charts, ...extra }), status);
  }

  app.get('/licenses/:licenseId/activations', async (request, reply) => {
    const done = (request.query as Record<string, string | undefined>).done;
    return showSeats(request, reply, { done: done === 'freed' || done === 'limit' ? done : null });
  });

  /** The instance of a seller's license, or 404 as for an unknown one. */
  async function requireInstance(request: FastifyRequest) {
    const { licenseId, instanceId } = params(request);
    const seats = await listLicenseActivations(ctx, request.viewer!.user.id, licenseId);
    const instance = seats.activations.find((a) => a.id === instanceId?.toLowerCase());
    if (!instance) throw new TesseraError('LICENSE_INSTANCE_NOT_FOUND');
    return { seats, instance };
  }

  app.get('/licenses/:licenseId/activations/:instanceId/free', async (request, reply) => {
    const { seats, instance } = await requireInstance(request);
    return sendConfirmation(request, reply, {
      title: `Free the seat of “${instance.name}”?`,
      consequence: freeSeatConsequence(instance.name, seats.activation_usage, seats.activation_limit),
      button: 'Free the seat',
      cancelHref: seatsPath(seats.license_id),
      active: 'licenses',
    });
  });

  app.post('/licenses/:licenseId/activations/:instanceId/free', async (request, reply) => {
    const { seats, instance } = await requireInstance(request);
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await deleteLicenseActivation(ctx, request.viewer!.user.id, seats.license_id, instance.id, actorOf(request));
    return reply.redirect(`${seatsPath(seats.license_id)}?done=freed`, 303);
  });

  app.post('/licenses/:licenseId/activations/limit', async (request, reply) => {
    const value = text(formOf(request.body), 'activation_limit').slice(0, 100);
    try {
      const seats = await setLicenseActivationLimit(ctx, request.viewer!.user.id, params(request).licenseId, value, actorOf(request));
      return reply.redirect(`${seatsPath(seats.license_id)}?done=limit`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return showSeats(request, reply, { limitForm: { value, error: message } }, status);
    }
  });
}
