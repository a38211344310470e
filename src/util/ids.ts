import { randomInt } from 'node:crypto';
import { randomPooled } from './entropy.js';

/** base64url's 64 characters in ASCII order, so ids compare (bytewise) in the order they were made. */
const SORTED_BASE64 = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * Internal primary key: 20 URL-safe characters, 120 bits: the millisecond it was made (48 bits)
 * then 72 random bits. Ids made later sort later, so a table's primary key and the indexes on
 * ids grow at their end: a batch of inserts dirties a few pages instead of one page per row
 * (what a random key does, written to the WAL at every commit). Within one process the order is
 * strict: an id made in the same millisecond as the last one (or after the clock stepped back)
 * is the last one plus one, so rows written in one request (an account's `user.created` then its
 * `session.created`) list in the order they happened. Not a secret: secrets are credentials
 * (src/credentials/credential.ts).
 */
export function newId(now = Date.now()): string {
  const bytes = randomPooled(15);
  if (now > lastId.ms) {
    bytes.writeUIntBE(now, 0, 6);
    lastId.ms = now;
  } else {
    // The last id's 120 bits plus one (a carry out of the random part moves the millisecond on).
    lastId.bytes.copy(bytes);
    for (let i = 14; i >= 0 && ++bytes[i]! === 256; i--) bytes[i] = 0;
    lastId.ms = bytes.readUIntBE(0, 6);
  }
  bytes.copy(lastId.bytes);
  let out = '';
  for (let i = 0; i < 15; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += SORTED_BASE64[n >> 18]! + SORTED_BASE64[(n >> 12) & 63]! + SORTED_BASE64[(n >> 6) & 63]! + SORTED_BASE64[n & 63]!;
  }
  return out;
}

/** The last id this process made (15 bytes, fixed size: the one piece of state newId keeps). */
const lastId = { ms: -1, bytes: Buffer.alloc(15) };

/** Gumroad-style external id: 16 random bytes, URL-safe base64 with padding (`A-m3CDDC5dlrSdKZp0RFhA==`). */
export function newExternalId(): string {
  return randomPooled(16).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Gumroad-style numeric id string (users' `id`): 13 digits, no leading zero. */
export function newNumericId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e6)).padStart(6, '0') + String(randomInt(0, 1e6)).padStart(6, '0');
}

/** Public, non-secret random identifier in base62 (client ids, short permalinks). */
export function newPublicId(length = 32): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomPooled(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    if (bytes[i]! < 248) out += alphabet[bytes[i]! % 62]; // 248 = 4*62: no modulo bias
  }
  return out.length === length ? out : newPublicId(length);
}
