import { TesseraError } from '../http/errors.js';
import type { SaleCursor } from './purchase-store.js';

/**
 * Gumroad's page key: the last item's creation time as `YYYYMMDDHHMMSS` plus six microsecond
 * digits, a dash, and a number (here the order number): `20230119081040123000-123456789012`.
 */
export function encodePageKey(cursor: SaleCursor): string {
  const d = new Date(cursor.createdAt);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  return `${stamp}${p(d.getUTCMilliseconds(), 3)}000-${cursor.orderNumber}`;
}

/** Reads a page key back; anything else is E400 `Invalid page_key.`. */
export function decodePageKey(key: unknown): SaleCursor {
  const match = typeof key === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{6})-(\d{1,16})$/.exec(key) : null;
  if (!match) throw new TesseraError('SALES_PARAM_INVALID', 'Invalid page_key.');
  const [year, month, day, hour, minute, second, micros] = match.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const createdAt = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(micros / 1000);
  const check = new Date(createdAt);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new TesseraError('SALES_PARAM_INVALID', 'Invalid page_key.');
  }
  return { createdAt, orderNumber: Number(match[8]) };
}

/**
 * `next_page_url`: the request's path and query string without access_token / page / page_key,
 * plus the new page_key (relative, as Gumroad answers it).
 */
export function nextPageUrl(requestUrl: string, pageKey: string): string {
  const [rawPath, rawQuery = ''] = requestUrl.split('?', 2) as [string, string?];
  const query = new URLSearchParams(rawQuery);
  for (const name of ['access_token', 'page', 'page_key']) query.delete(name);
  query.append('page_key', pageKey);
  return `${rawPath.replace(/\/{2,}/g, '/')}?${query.toString()}`;
}
