/**
 * Every way Tessera writes a time (stored as epoch milliseconds) for a client or a page. Each
 * shape is a contract: change none of them.
 */

export const DAY_MS = 86_400_000;

/** ISO 8601 UTC with milliseconds, `2024-05-01T12:34:56.789Z` (Tessera's own API and pages); null stays null. */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null | undefined): string | null;
export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(Number(ms)).toISOString();
}

/** ISO 8601 UTC with whole seconds, `2024-05-01T12:34:56Z`, as the Gumroad contract formats times. */
export function isoSeconds(ms: number): string;
export function isoSeconds(ms: number | null | undefined): string | null;
export function isoSeconds(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Lemon Squeezy's timestamps: ISO 8601 with microseconds, `2021-01-24T14:15:07.000000Z`. */
export function isoMicros(ms: number): string;
export function isoMicros(ms: number | null): string | null;
export function isoMicros(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** `2024-05-01`: the UTC day of a time. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
