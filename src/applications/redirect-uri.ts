import { TesseraError } from '../http/errors.js';

/**
 * Redirect URIs: one or more absolute URLs separated by whitespace, without fragments
 * (RFC 6749 §3.1.2). `http://127.0.0.1` is fine for an owner's own scripts; custom schemes
 * (`myapp://callback`) are allowed for native apps.
 */
export function parseRedirectUris(text: string): string[] {
  const uris = text.split(/\s+/).filter(Boolean);
  if (uris.length === 0) throw new TesseraError('VALIDATION_FAILED', "The 'redirect_uri' must be an absolute URL, such as http://127.0.0.1.");
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new TesseraError('VALIDATION_FAILED', `The redirect URI '${uri.slice(0, 200)}' is not an absolute URL, such as http://127.0.0.1.`);
    }
    if (url.hash || uri.includes('#')) throw new TesseraError('VALIDATION_FAILED', 'A redirect URI must not contain a fragment (#).');
    if (/^(javascript|data|file|vbscript):$/i.test(url.protocol)) {
      throw new TesseraError('VALIDATION_FAILED', `The redirect URI scheme '${url.protocol}' is not allowed.`);
    }
  }
  return uris;
}
