import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeFamily } from './input-guard.js';
import { TesseraError } from './errors.js';
import { isMultipart } from './multipart.js';

/** Turns a schema error into one readable sentence: "'name' must be a string". */
function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const path = (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (first.params as { missingProperty?: string })?.missingProperty;
  if (missing) return `The '${path ? path + '.' : ''}${missing}' parameter is required.`;
  const extra = (first.params as { additionalProperty?: string })?.additionalProperty;
  if (extra) return `The '${extra}' parameter is not allowed here.`;
  return path ? `The '${path}' parameter ${first.message}.` : `The request ${first.message}.`;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

/**
 * A framework 4xx (schema validation, body parsing, media type, size, timeout) on a route family
 * whose contract has its own error shape, in that shape: OAuth endpoints answer RFC 6749 §5.2
 * `400 invalid_request` to every malformed request (a missing or unsupported Content-Type, a
 * broken or oversized body included); the Gumloop API answers `{error, message}` with its status.
 */
function familyError(error: FastifyError, request: FastifyRequest): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } | undefined {
  const status = error.validation ? 400 : (error.statusCode ?? (isMultipart(request) ? 400 : 500));
  if (status < 400 || status >= 500) return undefined;
  const message = error.validation ? describeValidation(error) : error.message;
  const family = routeFamily(request.url);
  if (family === 'oauth') return new TesseraError('OAUTH_INVALID_REQUEST', message).toResponse();
  if (family === 'gumloop') return { status, body: { error: REASONS[status] ?? 'Bad Request', message } };
  return undefined;
}

export interface ErrorHandlerOptions {
  /** Answers a 404 as a page when the request is a browser's for the dashboard (true if it did). */
  pageNotFound?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
}

/** The only place where failures become HTTP responses. 5xx details never reach the client. */
export function installErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((error: FastifyError | TesseraError, request, reply) => {
    // An error body never goes through the route's response schema: a body the schema does not
    // describe would turn a 4xx into FST_ERR_FAILED_ERROR_SERIALIZATION (a 500).
    reply.serializer(JSON.stringify).type('application/json; charset=utf-8');
    if (error instanceof TesseraError) {
      const { status, headers, body } = error.toResponse();
      if (status >= 500) request.log.error({ err: error }, 'service failure');
      return reply.code(status).headers(headers).send(body);
    }
    const family = familyError(error, request);
    if (family) return reply.code(family.status).headers(family.headers ?? {}).send(family.body);
    if (error.validation) {
      return reply.code(400).send({ success: false, error: 'validation_failed', message: describeValidation(error) });
    }
    // Busboy reports a broken multipart body without a status: it is the client's input.
    if (!error.statusCode && isMultipart(request)) {
      return reply.code(400).send({ success: false, error: 'malformed_multipart', message: `The multipart body could not be read: ${error.message}.` });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
      return reply.code(status).send({ success: false, error: code, message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ success: false, error: 'internal', message: 'Something went wrong on our side.' });
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (options.pageNotFound && (await options.pageNotFound(request, reply))) return reply;
    return reply.code(404).send({ success: false, error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` });
  });
}
