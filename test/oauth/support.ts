import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { SECRET_LOG } from '../support/client.js';
import { createApp } from '../support/fixtures.js';
import type { TestServer } from '../support/harness.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** A browser of one person: a cookie jar, forms posted like a browser does (same origin), no redirects followed. */
export class Browser {
  private cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  /** Reuses the session of a test client (signed up through the API). */
  withSessionCookie(cookie: string | undefined): this {
    if (cookie) {
      const [name, value] = cookie.split('=');
      this.cookies.set(name!, value!);
    }
    return this;
  }

  async request(method: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { origin: this.base };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(new URL(path, this.base), { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      this.cookies.set(name!, rest.join('='));
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string>) {
    return this.request('POST', path, form);
  }
}

/** The CSRF token a rendered form carries. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, `no CSRF token in the page: ${html.slice(0, 300)}`);
  return match[1]!;
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A developer's application registered for REDIRECT_URI, plus a seller who will authorize it. */
export async function thirdPartySetup(s: TestServer, appBody: Record<string, unknown> = {}) {
  const developer = await s.signUp();
  const { application, client_secret } = await createApp(developer.client, { name: 'Zapper', redirect_uri: REDIRECT_URI, ...appBody });
  const seller = await s.signUp();
  const browser = new Browser(s.url).withSessionCookie(seller.client.cookie);
  return { developer, application, clientSecret: client_secret, clientId: application.client_id, seller, browser };
}

export function authorizeQuery(params: Record<string, string>): string {
  return `/oauth/authorize?${new URLSearchParams(params)}`;
}

/** Shows the consent page and submits Authorize (or Deny); returns the redirect's URL. */
export async function consent(browser: Browser, params: Record<string, string>, decision: 'allow' | 'deny' = 'allow') {
  const page = await browser.get(authorizeQuery(params));
  assert.equal(page.status, 200, page.text.slice(0, 500));
  const res = await browser.post('/oauth/authorize', { ...params, csrf: csrfOf(page.text), decision });
  assert.equal(res.status, 302, res.text.slice(0, 500));
  return new URL(res.location!);
}

/** Runs the consent flow and returns the code (recorded as a secret for the log check). */
export async function authorizationCode(browser: Browser, clientId: string, extra: Record<string, string> = {}) {
  const url = await consent(browser, { client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'view_profile', state: 'xyz', ...extra });
  const code = url.searchParams.get('code');
  assert.ok(code, `no code in ${url}`);
  SECRET_LOG.add(code);
  return code;
}

export function basic(clientId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` };
}

/** Everything a test needs after a successful code exchange. */
export async function issuedTokens(s: TestServer, setup: Awaited<ReturnType<typeof thirdPartySetup>>, scope = 'view_profile') {
  const code = await authorizationCode(setup.browser, setup.clientId, { scope });
  const res = await s.client().post('/oauth/token', {
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: setup.clientId, client_secret: setup.clientSecret },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { access_token: string; refresh_token: string; scope: string; created_at: number; token_type: string; expires_in?: number };
}

export async function auditActions(s: TestServer, userId: string): Promise<string[]> {
  const rows = await s.ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', userId).orderBy('occurred_at').execute();
  return rows.map((r) => r.action);
}

export async function auditRows(s: TestServer, userId: string, action: string) {
  return s.ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();
}

export async function userStatus(s: TestServer, accessToken: string): Promise<number> {
  return (await s.client().get('/v2/user', { headers: { authorization: `Bearer ${accessToken}` } })).status;
}
