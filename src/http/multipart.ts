import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nullObject } from './params.js';

/** What a multipart body may hold: a file is for an application icon, fields are form parameters. */
const LIMITS = { fileSize: 512 * 1024, files: 2, fields: 100, parts: 102, fieldSize: 1024 * 1024, fieldNameSize: 200 };
/** The whole body, whatever its parts: twice the server's body limit for the other types. */
const MAX_BYTES = 2 * 1024 * 1024;

/** A 4xx the error handler answers in the route family's shape (statusCode set, as Fastify's own). */
function clientError(statusCode: 400 | 413, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

export function isMultipart(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.slice(0, 19).toLowerCase() === 'multipart/form-data';
}

/** Adds one part's value: a repeated name becomes a list, in arrival order. */
function add(body: Record<string, unknown>, name: string, value: string | Buffer): void {
  const current = body[name];
  if (current === undefined) body[name] = value;
  else if (Array.isArray(current)) current.push(value);
  else body[name] = [current, value];
}

/**
 * multipart/form-data as a body parser: the body becomes its fields as strings and its files as
 * Buffers (`{name: value}`, a repeated name a list), like the urlencoded parser's. Being a parser,
 * it costs nothing to requests of any other type: no hook runs on every request (as
 * @fastify/multipart's three did). Over a limit is a 413, an unreadable body a 400.
 */
export function registerMultipartParser(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    let finished = false;
    const finish = (err: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      if (err) payload.resume(); // drain what is left, so the error can be answered
      done(err, body);
    };
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: LIMITS });
    } catch (err) {
      return finish(clientError(400, 'FST_INVALID_MULTIPART', `The multipart body could not be read: ${(err as Error).message}.`));
    }
    const body = nullObject();
    let pending = 0;
    let ended = false;
    const settle = () => {
      if (ended && pending === 0) finish(null, body);
    };
    parser.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (nameTruncated || valueTruncated) return finish(clientError(413, 'FST_FIELD_TOO_LARGE', 'A multipart field is too large.'));
      add(body, name, value);
    });
    parser.on('file', (name: string, stream: NodeJS.ReadableStream & { truncated?: boolean }) => {
      pending++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => finish(clientError(413, 'FST_REQ_FILE_TOO_LARGE', `A file is larger than ${LIMITS.fileSize / 1024} KiB.`)));
      stream.on('end', () => {
        pending--;
        add(body, name, Buffer.concat(chunks));
        settle();
      });
    });
    parser.on('partsLimit', () => finish(clientError(413, 'FST_PARTS_LIMIT', 'The multipart body has too many parts.')));
    parser.on('filesLimit', () => finish(clientError(413, 'FST_FILES_LIMIT', 'The multipart body has too many files.')));
    parser.on('fieldsLimit', () => finish(clientError(413, 'FST_FIELDS_LIMIT', 'The multipart body has too many fields.')));
    parser.on('error', (err: Error) => finish(clientError(400, 'FST_INVALID_MULTIPART', `The multipart body could not be read: ${err.message}.`)));
    parser.on('finish', () => {
      ended = true;
      settle();
    });
    let bytes = 0;
    payload.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BYTES) finish(clientError(413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large.'));
    });
    payload.on('error', (err: Error) => finish(clientError(400, 'FST_INVALID_MULTIPART', `The multipart body could not be read: ${err.message}.`)));
    payload.pipe(parser);
  });
}
