import type { preValidationHookHandler } from 'fastify';
import { requireScope } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { isForbiddenName } from '../http/input-guard.js';
import { foldedParams, nullObject } from '../http/params.js';

/**
 * preValidation hook of every catalog and sales route: the query string and any body (urlencoded,
 * multipart or JSON) become one set of parameters in `request.query`, which the route's
 * `querystring` schema then validates. So every encoding reaches the same handler code.
 */
export const mergeV2Params: preValidationHookHandler = async (request) => {
  request.query = foldedParams(request);
};

/** preValidation of a v2 catalog / sales route: the token check (401/403) first, then the merge. */
export const v2Guard = (...scopes: readonly string[]) => [requireScope(...scopes), mergeV2Params];

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

/** Gumroad's input flags (`universal`, `required`): true only for "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A yes/no setting of our own parameters (`is_licensed`, `customizable_price`): bad values fail. */
export function booleanParam(value: unknown, name: string): boolean {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0 || value === '') return false;
  throw invalid(`The '${name}' parameter must be true or false.`);
}

const MAX_AMOUNT = 1e12;

/** A whole, non-negative amount (cents, counts) from a string or number. */
export function wholeNumberParam(value: unknown, name: string, max = MAX_AMOUNT): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,13}$/.test(text) || Number(text) > max) throw invalid(`The '${name}' parameter must be a whole number between 0 and ${max}.`);
  return Number(text);
}

/** Same, where an empty value means "none". */
export function optionalWholeNumberParam(value: unknown, name: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  return wholeNumberParam(value, name);
}

/** A string parameter of bounded length. */
export function textParam(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`The '${name}' parameter must be a string.`);
  const text = String(value);
  if (text.length > max) throw invalid(`The '${name}' parameter is too long (at most ${max} characters).`);
  return text;
}

/** A {name: value} map of strings (variants, custom fields) from JSON or bracketed form keys. */
export function stringMapParam(value: unknown, name: string, maxEntries = 50): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`The '${name}' parameter must be an object of names and values.`);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > maxEntries) throw invalid(`The '${name}' parameter has too many entries.`);
  const out = nullObject<string>();
  for (const [key, v] of entries) {
    if (isForbiddenName(key)) throw invalid(`The '${name}' parameter may not name '${key}'.`);
    if (typeof v === 'boolean' || typeof v === 'number') out[textParam(key, name, 255)] = String(v);
    else out[textParam(key, name, 255)] = textParam(v, `${name}[${key}]`, 2000);
  }
  return out;
}
