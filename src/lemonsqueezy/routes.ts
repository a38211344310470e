import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { LemonError } from './errors.js';
import { lemonParams } from './params.js';
import { lemonActivate, lemonDeactivate, lemonValidate, type Caller } from './service.js';

const tags = ['Lemon Squeezy License API'];
const field = (description: string) => Type.Optional(Type.Unknown({ description }));
const answer = Type.Record(Type.String(), Type.Unknown());
const response = { 200: answer, 400: answer, 404: answer, 422: answer, 429: answer };

/** Headers a reverse proxy or CDN sets with the client's country (read only with TESSERA_TRUST_PROXY=1). */
const COUNTRY_HEADERS = ['cf-ipcountry', 'cloudfront-viewer-country', 'x-vercel-ip-country', 'x-country-code'];

function callerOf(request: FastifyRequest): Caller {
  let ipCountry: string | null = null;
  if (request.server.ctx.config.trustProxy) {
    for (const name of COUNTRY_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string' && /^[A-Za-z]{2}$/.test(value) && value.toUpperCase() !== 'XX') {
        ipCountry = value.toUpperCase();
        break;
      }
    }
  }
  return { ip: request.ip, ipCountry };
}

const VERBS = { activate: 'activated', validate: 'valid', deactivate: 'deactivated' } as const;

/** The answer's verdict key, from the route (`/v1/licenses/activate` → `activated`). */
function verdictOf(request: FastifyRequest): string {
  const last = (request.routeOptions.url ?? '').split('/').pop() as keyof typeof VERBS;
  return VERBS[last] ?? 'success';
}

/**
 * Lemon Squeezy's License API (docs/contracts/lemonsqueezy-license-v1.md), mounted at /v1/licenses:
 * no token, parameters as form fields, JSON or query string. Failures answer in its shape
 * (`{<verdict>: false, error}`), never Tessera's, whatever failed (bad JSON included).
 */
export const lemonSqueezyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.setErrorHandler((error: FastifyError | LemonError, request, reply) => {
    const verdict = verdictOf(request);
    if (error instanceof LemonError) {
      if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
      return reply.code(error.status).send({ [verdict]: false, error: error.message, ...error.extra });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unhandled error');
    return reply.code(status).send({ [verdict]: false, error: status === 500 ? 'Something went wrong on our side.' : error.message });
  });

  const body = (properties: Record<string, ReturnType<typeof field>>) => Type.Object(properties, { additionalProperties: true });
  const key = field('The license key (matched case-insensitively, surrounding spaces ignored).');
  const instanceId = field('The instance id `activate` answered.');
  // Parameters are read raw (lemonText): the schemas document and never coerce or refuse.
  const raw = { validatorCompiler: () => () => true };

  app.post('/activate', {
    ...raw,
    schema: {
      tags,
      summary: 'Activate a license key: a new instance, one seat (Lemon Squeezy-compatible)',
      body: body({ license_key: key, instance_name: field('A label for the instance (up to 255 characters).'), fingerprint: field('Tessera: a machine fingerprint; activating again with it reuses the seat.') }),
      response,
    },
    handler: async (request) => lemonActivate(ctx, lemonParams(request), callerOf(request)),
  });
  app.post('/validate', {
    ...raw,
    schema: { tags, summary: 'Validate a license key, or one of its instances', body: body({ license_key: key, instance_id: field('Optional: validate this instance too.') }), response },
    handler: async (request) => lemonValidate(ctx, lemonParams(request), callerOf(request)),
  });
  app.post('/deactivate', {
    ...raw,
    schema: { tags, summary: 'Deactivate an instance: frees its seat', body: body({ license_key: key, instance_id: instanceId }), response },
    handler: async (request) => lemonDeactivate(ctx, lemonParams(request), callerOf(request)),
  });
};
