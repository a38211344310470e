import type { FastifyRequest } from 'fastify';

/**
 * Rails merges the query string and the body into one set of parameters; Gumroad clients rely
 * on it (a token or a license key may come from either). Body values win.
 */
export function mergedParams(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return { ...query, ...(body as Record<string, unknown>) };
  }
  return query;
}
