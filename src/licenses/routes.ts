import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, requireScope } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { mergedParams } from '../http/params.js';
import { gracePeriodParam, licenseRef, verifyRef } from './params.js';
import { HistoryParams, HistoryReply, LicenseAnswerReply, LicenseFailure, ManageParams, RotateParams, VerifyParams } from './schemas.js';
import { licenseHistory } from './events-service.js';
import { decrementUses, disableLicense, enableLicense, type ManageInput } from './manage-service.js';
import { rotateLicense } from './rotate-service.js';
import { verifyLicense } from './verify/service.js';

const tags = ['API v2: licenses'];

/** The merged parameters; a body that is not a set of parameters (a JSON list, a string) is a 400. */
function bodyAndQuery(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new TesseraError('LICENSE_PARAMETER_INVALID', 'The request body must be a set of parameters (form fields or a JSON object).');
  }
  return mergedParams(request);
}
const failures = { 400: LicenseFailure, 401: LicenseFailure, 403: LicenseFailure, 404: LicenseFailure, 429: LicenseFailure };

/** The License API (contract §4): parameters from the query string and any body encoding alike. */
export const licenseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  // Requests already waiting for a verify batch are answered before the database closes.
  app.addHook('onClose', async () => ctx.licenseVerify.batcher.idle());

  app.post('/licenses/verify', {
    schema: {
      tags,
      summary: 'Verify a license key and count a use (no token needed)',
      body: VerifyParams,
      response: { 200: LicenseAnswerReply, ...failures, 503: LicenseFailure },
    },
    // The hot path: its schemas only document. Parameters are checked raw (verifyRef), and the
    // answer arrives as JSON text (see licenseAnswerJson); errors go through the error handler.
    validatorCompiler: () => () => true,
    handler: async (request, reply) => {
      const answer = await verifyLicense(ctx, verifyRef(bodyAndQuery(request)), request.ip);
      // Already serialized: sent as is (a JSON content type with a string skips the serializer).
      return (reply as FastifyReply).header('content-type', 'application/json; charset=utf-8').send(answer);
    },
  });

  const manageInput = (request: FastifyRequest): ManageInput => ({
    sellerId: request.principal!.userId,
    ref: licenseRef(mergedParams(request)),
    actor: actorOf(request),
  });
  const edit = { preValidation: requireScope('edit_products') };
  const manageSchema = (summary: string) => ({ tags, summary, security: [{ bearer: [] }], body: ManageParams, response: { 200: LicenseAnswerReply, ...failures } });

  app.put('/licenses/enable', { ...edit, schema: manageSchema('Enable a license'), handler: async (request) => enableLicense(ctx, manageInput(request)) });
  app.put('/licenses/disable', { ...edit, schema: manageSchema('Disable a license'), handler: async (request) => disableLicense(ctx, manageInput(request)) });
  app.put('/licenses/decrement_uses_count', {
    ...edit,
    schema: manageSchema('Count one use less (never below 0)'),
    handler: async (request) => decrementUses(ctx, manageInput(request)),
  });
  app.put('/licenses/rotate', {
    ...edit,
    schema: { ...manageSchema('Replace a leaked key with a new one, keeping uses and the purchase'), body: RotateParams },
    handler: async (request) => rotateLicense(ctx, { ...manageInput(request), gracePeriodSeconds: gracePeriodParam(mergedParams(request)) }),
  });

  app.get('/licenses/:license_id/events', {
    preValidation: requireScope('edit_products', 'view_sales'),
    schema: {
      tags,
      summary: "A license's history: verifications per day and every change (by the sale's license_id)",
      security: [{ bearer: [] }],
      params: HistoryParams,
      response: { 200: HistoryReply, ...failures },
    },
    handler: async (request) => ({
      success: true as const,
      ...(await licenseHistory(ctx, request.principal!.userId, request.params.license_id)),
    }),
  });
};
