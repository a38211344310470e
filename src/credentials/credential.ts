import { randomPooled } from '../util/entropy.js';
import { crc32 } from 'node:zlib';

/**
 * The credential core: every secret Tessera issues has this shape
 *   tsr_<kind>_<43 base62 chars: 256 random bits><6 base62 chars: CRC32 of everything before>
 * so a mistyped or truncated secret is rejected before any database read, and secret
 * scanners can match CREDENTIAL_PATTERN. Only keyed hashes are stored (see ServerKeys.hash).
 */
export const CREDENTIAL_KINDS = {
  at: 'access token',
  rt: 'OAuth refresh token',
  ac: 'OAuth authorization code',
  dc: 'OAuth device code',
  cs: 'OAuth client secret',
  ss: 'dashboard session',
  pk: 'personal API key',
  tk: 'team API key',
  iv: 'account invitation link',
} as const;
export type CredentialKind = keyof typeof CREDENTIAL_KINDS;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_CHARS = /^[0-9A-Za-z]+$/;
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32

/** Published for secret scanners (README). */
export const CREDENTIAL_PATTERN = /\btsr_(?:at|rt|ac|dc|cs|ss|pk|tk|iv)_[0-9A-Za-z]{49}\b/;

/** CRC32 in base62, 6 characters: plain number arithmetic (a CRC fits a double), checked on every request. */
function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/**
 * 32 bytes as a 256-bit number in base62, BODY_LENGTH digits: the same digits as converting
 * through BigInt, by long division over eight 32-bit words (a few times cheaper, and every
 * issued token pays it).
 */
function base62Bytes(bytes: Buffer): string {
  const words = [0, 4, 8, 12, 16, 20, 24, 28].map((i) => bytes.readUInt32BE(i));
  const digits: string[] = new Array(BODY_LENGTH);
  for (let d = BODY_LENGTH - 1; d >= 0; d--) {
    let remainder = 0;
    for (let i = 0; i < words.length; i++) {
      const current = remainder * 0x1_0000_0000 + words[i]!;
      words[i] = Math.floor(current / 62);
      remainder = current - words[i]! * 62;
    }
    digits[d] = ALPHABET[remainder]!;
  }
  return digits.join('');
}

/** Makes a new secret of the given kind: 256 bits from the CSPRNG. */
export function generateCredential(kind: CredentialKind): string {
  const body = base62Bytes(randomPooled(32));
  const head = `tsr_${kind}_${body}`;
  return head + checksum(head);
}

/**
 * True when the text is a well-formed credential of one of the kinds given, checksum included.
 * Costs no I/O: callers reject malformed input before touching the database.
 */
export function isWellFormedCredential(text: unknown, ...kinds: CredentialKind[]): text is string {
  if (typeof text !== 'string' || text.length !== 4 + 3 + BODY_LENGTH + CHECKSUM_LENGTH) return false;
  if (!text.startsWith('tsr_') || text[6] !== '_') return false;
  const kind = text.slice(4, 6) as CredentialKind;
  if (!kinds.includes(kind)) return false;
  if (!BODY_CHARS.test(text.slice(7))) return false;
  const head = text.slice(0, text.length - CHECKSUM_LENGTH);
  return checksum(head) === text.slice(text.length - CHECKSUM_LENGTH);
}

/** What may be shown of a credential after creation: its kind prefix and a few characters. */
export function credentialHint(text: string): string {
  return text.slice(0, 11) + '…';
}
