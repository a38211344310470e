import type { FastifyRequest } from 'fastify';
import { mergedParams, nullObject } from '../http/params.js';
import { TesseraError } from '../http/errors.js';

/**
 * The parameters of an OAuth request as strings: query and body merged (body wins, as Gumroad's
 * Rails does), numbers from JSON bodies as text. A repeated or structured parameter is an
 * invalid_request (RFC 6749 §3.1: parameters must not be included more than once).
 */
export function oauthParams(request: FastifyRequest): Record<string, string> {
  const out = nullObject<string>();
  for (const [name, value] of Object.entries(mergedParams(request))) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else if (Array.isArray(value)) throw new TesseraError('OAUTH_INVALID_REQUEST', `The '${name}' parameter was sent more than once.`);
    else throw new TesseraError('OAUTH_INVALID_REQUEST', `The '${name}' parameter must be a string.`);
  }
  return out;
}
