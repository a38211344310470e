/**
 * A Lemon Squeezy License API failure: the status and the `error` sentence of its contract
 * (docs/contracts/lemonsqueezy-license-v1.md §4). Only this domain's error handler answers it.
 */
export class LemonError extends Error {
  constructor(
    readonly status: 400 | 404 | 422 | 429,
    message: string,
    /** license_key and meta, for failures about a known license (limit reached, disabled, expired). */
    readonly extra: Record<string, unknown> = {},
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const LEMON_MESSAGES = {
  keyNotFound: 'license_key not found.',
  instanceNotFound: 'instance_id not found.',
  limitReached: 'This license key has reached the activation limit.',
  disabled: 'This license key is disabled.',
  expired: 'This license key is expired.',
} as const;
