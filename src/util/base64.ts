const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,/i;
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Bytes a base64 text of this length (padding included) decodes to. */
function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/**
 * Bytes sent as base64 in JSON or a form (Gumloop's `file_content`, a product's `thumbnail`):
 * standard base64 (padding optional, line breaks ignored, the URL-safe alphabet and a
 * `data:…;base64,` prefix accepted). Anything else is refused, not decoded as far as it goes,
 * and so is content over `maxBytes`, before it is decoded. `what` names the parameter.
 */
export function decodeBase64(value: unknown, maxBytes: number, what: string): { bytes: Buffer } | { problem: string; tooLarge?: boolean } {
  if (typeof value !== 'string') return { problem: `'${what}' must be a base64 string.` };
  const text = value.replace(DATA_URL, '').replace(/[\r\n\t ]+/g, '');
  if (!STANDARD.test(text) && !URL_SAFE.test(text)) return { problem: `'${what}' is not valid base64.` };
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1 || (text.length !== unpadded.length && text.length % 4 !== 0)) return { problem: `'${what}' is not valid base64 (its length is wrong).` };
  if (decodedLength(text) > maxBytes) return { problem: `The file is larger than the limit of ${maxBytes} bytes.`, tooLarge: true };
  const bytes = Buffer.from(text, 'base64');
  // Reject texts whose last character carries bits that decoding drops: they are not base64 of anything.
  const canonical = bytes.toString(text.includes('-') || text.includes('_') ? 'base64url' : 'base64').replace(/=+$/, '');
  if (canonical !== unpadded) return { problem: `'${what}' is not valid base64.` };
  return { bytes };
}
