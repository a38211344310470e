import assert from 'node:assert/strict';
import type { Client } from '../../support/client.js';

/** The CSRF token a rendered form carries. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has no CSRF field');
  return match[1]!;
}

/** Opens a logged-out form (login, sign-up): its double-submit cookie and its token. */
export async function anonymousForm(client: Client, path: string): Promise<{ cookie: string; csrf: string }> {
  const res = await client.get(path);
  assert.equal(res.status, 200);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('tessera_csrf='));
  assert.ok(setCookie, 'no tessera_csrf cookie was set');
  return { cookie: setCookie.split(';')[0]!, csrf: csrfOf(res.text) };
}

/** The logged-in visitor's CSRF token, read from a dashboard page. */
export async function sessionCsrf(client: Client, path = '/'): Promise<string> {
  const res = await client.get(path);
  assert.equal(res.status, 200, `GET ${path} gave ${res.status}`);
  return csrfOf(res.text);
}

/** An urlencoded body with repeated fields (checkboxes), for Client's `raw` option. */
export function urlencoded(pairs: Array<[string, string]>): { body: string; type: string } {
  return { body: new URLSearchParams(pairs).toString(), type: 'application/x-www-form-urlencoded' };
}

/** A multipart body as a browser sends it (repeated fields, files), for Client's `raw` option. */
export async function multipart(parts: Array<[string, string | Blob, string?]>): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename ?? 'file');
  }
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! };
}

/**
 * Post/Redirect/Get: the POST answered 303; the page it redirects to, read once. A second read
 * of the same URL must not show a secret again (see `assertAlreadyShown`).
 */
export async function follow(client: Client, res: { status: number; text: string; headers: Headers }): Promise<{ status: number; text: string; location: string }> {
  assert.equal(res.status, 303, `expected a redirect, got ${res.status}: ${res.text.slice(0, 300)}`);
  const location = res.headers.get('location')!;
  assert.ok(!/tsr_(cs|at|pk|tk)_/.test(location), 'no secret in the redirect URL');
  const page = await client.get(location);
  assert.equal(page.status, 200, `GET ${location} gave ${page.status}`);
  return { status: page.status, text: page.text, location };
}

/** A reload of a page that showed a secret once: "already shown", and the secret is gone. */
export async function assertAlreadyShown(client: Client, location: string, secret: string): Promise<void> {
  const again = await client.get(location);
  assert.equal(again.status, 200);
  assert.match(again.text, /Already shown/);
  assert.ok(!again.text.includes(secret), 'the secret is not shown a second time');
}
