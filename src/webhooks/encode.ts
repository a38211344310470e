/**
 * The wire form of a delivery, as Gumroad posts it: `application/x-www-form-urlencoded` with
 * Rails bracket keys for nested values (`card[visual]=…`, `purchase_ids[]=…`), or JSON for
 * subscriptions whose post URL is on zapier.com (Gumroad switches those to JSON).
 */
export type WireFormat = 'form' | 'json';

export function wireFormatFor(postUrl: string): WireFormat {
  try {
    return new URL(postUrl).hostname.toLowerCase().endsWith('zapier.com') ? 'json' : 'form';
  } catch {
    return 'form';
  }
}

export const CONTENT_TYPES: Record<WireFormat, string> = { form: 'application/x-www-form-urlencoded', json: 'application/json' };

/** Percent-encodes like Ruby's ERB::Util.url_encode: everything but A-Z a-z 0-9 _ . - ~. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key's own brackets are escaped first, so a custom field named `a[b]` is not read as nesting. */
const ownKey = (key: string) => key.replace(/[[\]]/g, (c) => encode(c));

function pairs(prefix: string, value: unknown, out: [string, string][]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([`${prefix}[]`, '']);
    for (const item of value) {
      if (item !== null && typeof item === 'object') pairs(`${prefix}[]`, item, out);
      else out.push([`${prefix}[]`, item === null || item === undefined ? '' : String(item)]);
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) pairs(`${prefix}[${ownKey(key)}]`, inner, out);
    return;
  }
  out.push([prefix, value === null || value === undefined ? '' : String(value)]);
}

/** Rails-style form body: nested objects as `a[b]=`, arrays as `a[]=`, null as an empty value. */
export function formEncode(payload: Record<string, unknown>): string {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(payload)) pairs(ownKey(key), value, out);
  return out.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

export function encodeBody(payload: Record<string, unknown>, format: WireFormat): string {
  return format === 'json' ? JSON.stringify(payload) : formEncode(payload);
}
