import type { FastifyError, FastifyInstance } from 'fastify';
import { TesseraError } from './errors.js';

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

/** The only place where failures become HTTP responses. 5xx details never reach the client. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | TesseraError, request, reply) => {
    if (error instanceof TesseraError) {
      const { status, headers, body } = error.toResponse();
      if (status >= 500) request.log.error({ err: error }, 'service failure');
      return reply.code(status).headers(headers).send(body);
    }
    if (error.validation) {
      return reply.code(400).send({ success: false, error: 'validation_failed', message: describeValidation(error) });
    }
    // Busboy reports a broken multipart body without a status: it is the client's input.
    if (!error.statusCode && request.isMultipart()) {
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
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ success: false, error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` });
  });
}
