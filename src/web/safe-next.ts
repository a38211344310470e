/**
 * Where a login or a form may send the browser next (issue 11.4). The value is read as a browser
 * reads a Location header: resolved by the WHATWG URL parser against the server's public origin,
 * which strips tabs and newlines, turns `\` into `/` and folds `.` segments. Only a result on the
 * same origin whose path cannot be read as protocol-relative (`//host`) is kept, in its
 * normalised form; anything else becomes `fallback`. `/<TAB>/evil.example`, `/\evil`, `//evil`,
 * `/.//evil` and their encoded forms all fail.
 */
export function sameOriginPath(value: unknown, publicOrigin: string, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || !value.startsWith('/')) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(publicOrigin);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
