import { randomBytes, randomInt } from 'node:crypto';

/** Internal primary key: 20 random bytes, URL-safe. */
export function newId(): string {
  return randomBytes(15).toString('base64url');
}

/** Gumroad-style external id: 16 random bytes, URL-safe base64 with padding (`A-m3CDDC5dlrSdKZp0RFhA==`). */
export function newExternalId(): string {
  return randomBytes(16).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Gumroad-style numeric id string (users' `id`): 13 digits, no leading zero. */
export function newNumericId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e6)).padStart(6, '0') + String(randomInt(0, 1e6)).padStart(6, '0');
}

/** Public, non-secret random identifier in base62 (client ids, short permalinks). */
export function newPublicId(length = 32): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    if (bytes[i]! < 248) out += alphabet[bytes[i]! % 62]; // 248 = 4*62: no modulo bias
  }
  return out.length === length ? out : newPublicId(length);
}
