/** ISO 8601 UTC with whole seconds, as the Gumroad contract formats times. */
export function isoSeconds(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
