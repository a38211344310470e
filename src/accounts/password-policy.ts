import fs from 'node:fs';
import { TesseraError } from '../http/errors.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

let common: Set<string> | undefined;

/**
 * The breached-password list: the 10,000 most common passwords of 8+ characters, generated at
 * build from a ranked list (scripts/common-passwords.mjs) and read once, on first use. No network.
 */
function commonPasswords(): Set<string> {
  // Beside this module in src/ and dist/; under accounts/ beside the bundle (dist/tessera.mjs).
  const file = [new URL('./common-passwords.txt', import.meta.url), new URL('./accounts/common-passwords.txt', import.meta.url)].find((f) => fs.existsSync(f));
  if (!file) throw new Error('the breached-password list (src/accounts/common-passwords.txt) is missing: run node scripts/common-passwords.mjs');
  common ??= new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

/** Why a new password is refused, in words a person can act on; null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return 'This password is one of the 10,000 most common passwords, so it is among the first an attacker tries. Choose another one.';
  }
  if (email && (lower === email.toLowerCase() || lower === email.split('@')[0]!.toLowerCase())) {
    return 'Choose a password that is not your email address.';
  }
  return null;
}

/** Throws PASSWORD_REJECTED (400) with the reason when the new password is not acceptable. */
export function assertAcceptablePassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new TesseraError('PASSWORD_REJECTED', problem);
}
