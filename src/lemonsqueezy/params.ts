import type { FastifyRequest } from 'fastify';
import { mergedParams } from '../http/params.js';
import { LemonError } from './errors.js';

/** Lemon Squeezy (Laravel) names a field with spaces in its sentences: `license_key` → "license key". */
const spoken = (name: string) => name.replace(/_/g, ' ');

/** The request's parameters (form fields, JSON object or query string); any other body is a 400. */
export function lemonParams(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new LemonError(400, 'The request body must be form fields or a JSON object.');
  }
  return mergedParams(request);
}

/**
 * A text field, trimmed: absent or blank is a 422 when required (null otherwise), a non-text value
 * (a number, a list, an object) a 422 naming it, longer than `max` characters a 422.
 */
export function lemonText(params: Record<string, unknown>, name: string, required: true, max?: number): string;
export function lemonText(params: Record<string, unknown>, name: string, required: false, max?: number): string | null;
export function lemonText(params: Record<string, unknown>, name: string, required: boolean, max = 255): string | null {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) throw new LemonError(422, `The ${spoken(name)} field is required.`);
    return null;
  }
  if (typeof value !== 'string') throw new LemonError(422, `The ${spoken(name)} must be a string.`);
  const text = value.trim();
  if ([...text].length > max) throw new LemonError(422, `The ${spoken(name)} must not be greater than ${max} characters.`);
  return text;
}
