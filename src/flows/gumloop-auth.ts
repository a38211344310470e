import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import { authenticateApiKey, resolveFlowCaller, type FlowCaller } from '../apikeys/authenticate.js';
import { keyAllows, type ApiKeyScope } from '../apikeys/scopes.js';
import { TesseraError } from '../http/errors.js';
import { mergedParams } from '../http/params.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireFlowKey: whose flows the API key reaches and which user it acts for. */
    flowCaller: FlowCaller | null;
  }
}

/** The API key of a flows API request: `Authorization: Bearer` first, then `api_key` (query or body). */
function extractApiKey(request: FastifyRequest): unknown {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  return mergedParams(request).api_key;
}

/**
 * preValidation hook of the /api/v1 routes: the key (401), then `user_id`, `project_id` and
 * `x-auth-key` (400/403, gumloop contract decision 2), then the key's scope (403).
 */
export function requireFlowKey(scope: ApiKeyScope, options: { projectSuffices?: boolean } = {}): preValidationHookHandler {
  return async function checkApiKey(request) {
    const { ctx } = request.server;
    const key = await authenticateApiKey(ctx, extractApiKey(request));
    const params = mergedParams(request);
    const caller = await resolveFlowCaller(ctx, key, { user_id: params.user_id, project_id: params.project_id, authKey: request.headers['x-auth-key'] }, options);
    if (!keyAllows(caller.scopes, scope)) throw new TesseraError('GUMLOOP_SCOPE_MISSING', `This API key lacks the ${scope} scope.`);
    request.flowCaller = caller;
  };
}

const BY_STATUS = { 400: 'GUMLOOP_BAD_REQUEST', 403: 'GUMLOOP_FORBIDDEN', 404: 'GUMLOOP_NOT_FOUND', 409: 'GUMLOOP_CONFLICT', 413: 'GUMLOOP_PAYLOAD_TOO_LARGE', 429: 'GUMLOOP_QUEUE_FULL' } as const;

/** Re-expresses a shared service's failure in the Gumloop body shape, keeping status, sentence and Retry-After. */
export function asGumloopError(err: unknown): unknown {
  if (!(err instanceof TesseraError) || err.code.startsWith('GUMLOOP_')) return err;
  const code = BY_STATUS[err.status as keyof typeof BY_STATUS];
  if (!code) return err;
  const mapped = new TesseraError(code, err.message);
  mapped.retryAfter = err.retryAfter;
  return mapped;
}
