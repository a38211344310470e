import type { FastifyRequest } from 'fastify';
import { badInput, isForbiddenName } from './input-guard.js';

/** An object without a prototype: a key read from it is one the client sent, never an inherited one. */
export function nullObject<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** mergedParams' result, made once per request (decorated null in src/server.ts). */
    mergedParameters: Record<string, unknown> | null;
  }
}

/**
 * Rails merges the query string and the body into one set of parameters; Gumroad clients rely
 * on it (a token or a license key may come from either). Body values win. The result has no
 * prototype, and a forbidden name (src/http/input-guard.ts) is never copied into it. Merged once
 * per request, as the query string and the body stood when it was first asked for (after the
 * body was parsed): the token check, the route's parameter fold and its handler share it, so a
 * caller must not change the object it gets.
 */
export function mergedParams(request: FastifyRequest): Record<string, unknown> {
  if (request.mergedParameters) return request.mergedParameters;
  const out = nullObject();
  for (const source of [request.query, request.body]) {
    if (!isPlainObject(source)) continue;
    for (const key of Object.keys(source)) if (!isForbiddenName(key)) out[key] = source[key];
  }
  // Before the body is parsed (an onRequest hook) nothing is kept: the body would be missing.
  if (request.body !== undefined) request.mergedParameters = out;
  return out;
}

export class ForbiddenNameError extends Error {
  constructor(readonly parameter: string) {
    super(`The parameter name '${parameter.slice(0, 100)}' is not allowed (__proto__, constructor and prototype are refused).`);
  }
}

/**
 * Rails reads `a[b]=1` as {a: {b: '1'}} and `a[]=x&a[]=y` as {a: ['x','y']}: form and query
 * clients send nested parameters (variants, custom fields, tags) that way. Every object built
 * has no prototype; a forbidden name anywhere in a key throws ForbiddenNameError. A plain key
 * wins over a bracketed one of the same name only when it comes first (Rails: first wins).
 */
export function foldBracketKeys(params: Record<string, unknown>): Record<string, unknown> {
  const out = nullObject();
  for (const key of Object.keys(params)) {
    if (isForbiddenName(key)) throw new ForbiddenNameError(key);
    const value = params[key];
    const match = /^([^[\]]+)\[([^[\]]*)\]$/.exec(key);
    if (!match) {
      if (!(key in out)) out[key] = value;
      continue;
    }
    const [, name, inner] = match as unknown as [string, string, string];
    const current = out[name];
    if (inner === '') {
      out[name] = (Array.isArray(current) ? current : []).concat(value);
    } else {
      const nested = isPlainObject(current) ? current : nullObject();
      nested[inner] = value;
      out[name] = nested;
    }
  }
  return out;
}

/** The merged, folded parameters; a forbidden name is the route family's 400. */
export function foldedParams(request: FastifyRequest): Record<string, unknown> {
  try {
    return foldBracketKeys(mergedParams(request));
  } catch (err) {
    if (err instanceof ForbiddenNameError) throw badInput(request, err.message);
    throw err;
  }
}
