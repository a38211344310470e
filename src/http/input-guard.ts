import type { FastifyRequest } from 'fastify';
import { TesseraError } from './errors.js';

/**
 * The edge check every request passes before any route code reads its input (issue 11.2, 11.5):
 *
 * - no parameter name (query string, urlencoded, multipart or JSON, at any depth, and any segment
 *   of a bracketed `a[b][c]` name) may be `__proto__`, `constructor` or `prototype`: folding or
 *   merging such names is how `Object.prototype` gets polluted;
 * - no text may hold a NUL byte (PostgreSQL text cannot store it; SQLite would), and names and
 *   path ids may hold no control character at all;
 * - bodies nest at most MAX_DEPTH levels.
 *
 * A refusal is a 400 in the shape of the route's family (see `badInput`).
 */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const MAX_DEPTH = 32;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name is refused when it, or any `[segment]` of it, is a forbidden name. */
export function isForbiddenName(name: string): boolean {
  if (FORBIDDEN_NAMES.has(name)) return true;
  if (!name.includes('[')) return false;
  for (const segment of name.split(/[[\]]+/)) if (FORBIDDEN_NAMES.has(segment)) return true;
  return false;
}

export type RouteFamily = 'oauth' | 'gumloop' | 'v2' | 'api' | 'web';

/** Which contract a URL answers in: its errors take that contract's shape. */
export function routeFamily(url: string): RouteFamily {
  if (url.startsWith('/oauth/') || url === '/oauth') return 'oauth';
  if (url.startsWith('/api/v1/') || url === '/api/v1') return 'gumloop';
  if (url.startsWith('/v2/') || url === '/v2' || url.startsWith('/api/v2/') || url === '/api/v2') return 'v2';
  if (url.startsWith('/api/') || url === '/api' || url === '/openapi.json') return 'api';
  return 'web';
}

/** The 400 for bad input, in the shape of the request's route family. */
export function badInput(request: FastifyRequest, message: string): TesseraError {
  switch (routeFamily(request.url)) {
    case 'oauth':
      return new TesseraError('OAUTH_INVALID_REQUEST', message);
    case 'gumloop':
      return new TesseraError('GUMLOOP_BAD_REQUEST', message);
    case 'v2':
      return new TesseraError('V2_BAD_REQUEST', message);
    default:
      return new TesseraError('VALIDATION_FAILED', message);
  }
}

/** The first problem in one parsed part of a request, or undefined. Iterative: no stack to blow. */
export function inputProblem(value: unknown, part: 'query' | 'body' | 'path'): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  const strictText = part === 'path';
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (strictText ? CONTROL.test(current) : NUL.test(current)) {
        return strictText ? 'A path parameter holds a control character.' : 'A parameter holds a NUL byte (\\u0000), which no field accepts.';
      }
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) continue;
    if (depth >= MAX_DEPTH) return `The ${part} nests deeper than ${MAX_DEPTH} levels.`;
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(current)) {
      if (isForbiddenName(key)) return `The parameter name '${key.slice(0, 100)}' is not allowed (__proto__, constructor and prototype are refused).`;
      if (CONTROL.test(key)) return 'A parameter name holds a control character.';
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * The check of one request, run by the root preValidation hook (src/server.ts) ahead of every
 * route's own hooks (authentication included), so no route code ever sees a refused input.
 */
export function inputGuardError(request: FastifyRequest): TesseraError | undefined {
  const problem = inputProblem(request.params, 'path') ?? inputProblem(request.query, 'query') ?? inputProblem(request.body, 'body');
  return problem === undefined ? undefined : badInput(request, problem);
}

/**
 * The 400 for a JSON body the parser refused: a prototype-poisoning key (`__proto__`, or
 * `constructor.prototype`; Fastify's onProtoPoisoning / onConstructorPoisoning are 'error') gets
 * its own sentence, anything else is "not valid JSON". Only ever runs on a refused body.
 */
export function jsonBodyError(request: FastifyRequest, body: string): TesseraError {
  let valid = false;
  try {
    JSON.parse(body);
    valid = true;
  } catch {
    // not JSON at all
  }
  return badInput(
    request,
    valid
      ? 'The JSON body uses a forbidden key (__proto__, constructor or prototype).'
      : 'The body is not valid JSON (Content-Type: application/json).',
  );
}
