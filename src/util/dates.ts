/**
 * Every way Tessera writes a time (stored as epoch milliseconds) for a client or a page. Each
 * shape is a contract: change none of them.
 */

export const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

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

/** "about 2 months ago": the sale's `timestamp` display text, in the manner of Rails' time_ago_in_words. */
export function timeAgoInWords(ms: number, now = Date.now()): string {
  const minutes = Math.round(Math.max(0, now - ms) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  let words: string;
  if (minutes < 1) words = 'less than a minute';
  else if (minutes < 45) words = plural(minutes, 'minute');
  else if (minutes < 90) words = 'about 1 hour';
  else if (minutes < 1440) words = `about ${plural(Math.round(minutes / 60), 'hour')}`;
  else if (minutes < 2520) words = '1 day';
  else if (minutes < 43_200) words = plural(Math.round(minutes / 1440), 'day');
  else if (minutes < 86_400) words = `about ${plural(Math.round(minutes / 43_200), 'month')}`;
  else if (minutes < 525_600) words = plural(Math.round(minutes / 43_200), 'month');
  else {
    const years = minutes / 525_600;
    const whole = Math.floor(years);
    const rest = years - whole;
    words = rest < 0.25 ? `about ${plural(whole, 'year')}` : rest < 0.75 ? `over ${plural(whole, 'year')}` : `almost ${plural(whole + 1, 'year')}`;
  }
  return `${words} ago`;
}

/** "5 Jan 2021 7:38 PM" (UTC): the sale's `daystamp` display text. */
export function dayStamp(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** `2024-05-01 12:34:56 UTC`: an ISO time (either shape above) as a page or an email shows it. */
export function readableUtc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}
