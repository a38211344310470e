import { timingSafeEqual } from 'node:crypto';

/**
 * True when `a` and `b` hold the same bytes, compared in constant time (for tokens, signatures,
 * secret hashes and PKCE challenges). Strings are compared as UTF-8; a length difference answers
 * false at once, which reveals only the length. Anything that is not a string or Buffer (a form
 * field that is missing or repeated) is never equal.
 */
export function safeEqual(a: unknown, b: string | Buffer): boolean {
  if (typeof a !== 'string' && !Buffer.isBuffer(a)) return false;
  const x = typeof a === 'string' ? Buffer.from(a) : a;
  const y = typeof b === 'string' ? Buffer.from(b) : b;
  return x.length === y.length && timingSafeEqual(x, y);
}
