import { randomBytes } from 'node:crypto';
import type { ServerKeys } from '../credentials/server-keys.js';

/**
 * The form a license key is matched in (contract, Tessera's decision 9): surrounding whitespace
 * cut and letters uppercased, as Gumroad's case-insensitive collation matches keys. Generated keys
 * are already in this form; imported ones keep their own casing for display.
 */
export function normaliseLicenseKey(key: string): string {
  return key.trim().toUpperCase();
}

/** The lookup HMAC of a license key: of its normalised form, so any casing finds it. */
export function licenseKeyHash(keys: ServerKeys, key: string): string {
  return keys.hash(normaliseLicenseKey(key));
}

/** A new license key: 32 uppercase hex digits from the CSPRNG, 4 groups of 8 (`XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX`). */
export function generateLicenseKey(): string {
  return randomBytes(16).toString('hex').toUpperCase().match(/.{8}/g)!.join('-');
}

export const IMPORTED_KEY_MAX_LENGTH = 255;

/**
 * Why an imported key (any format a seller used elsewhere) cannot be stored, or null when it can:
 * 1 to 255 printable characters, no surrounding spaces (they would make it unverifiable by eye).
 */
export function importedKeyProblem(key: string): string | null {
  if (key.length === 0) return 'license_key is empty';
  if ([...key].length > IMPORTED_KEY_MAX_LENGTH) return `license_key is longer than ${IMPORTED_KEY_MAX_LENGTH} characters`;
  if (/\p{Cc}|\p{Cs}/u.test(key)) return 'license_key contains a control character';
  if (key.trim() !== key) return 'license_key starts or ends with a space';
  return null;
}
