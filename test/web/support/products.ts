import assert from 'node:assert/strict';
import type { Client } from '../../support/client.js';
import type { TestServer } from '../../support/harness.js';
import { csrfOf } from './forms.js';

/** The stored product row behind a product id (the effect a dashboard form must have). */
export function productRow(s: TestServer, productId: string) {
  return s.ctx.db.selectFrom('products').selectAll().where('external_id', '=', productId).executeTakeFirstOrThrow();
}

/** The audit events of one action of this seller. */
export function audited(s: TestServer, userId: string, action: string) {
  return s.ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();
}

/** Every audit event of this seller (to see that a reload or a refusal recorded nothing). */
export async function auditCount(s: TestServer, userId: string): Promise<number> {
  const rows = await s.ctx.db.selectFrom('audit_events').select('id').where('user_id', '=', userId).execute();
  return rows.length;
}

/**
 * Post/Redirect/Get: the POST answered 303 to `location`; loading that page twice (a reload)
 * answers 200 and records nothing more: the action is not repeated.
 */
export async function reloadTwice(s: TestServer, client: Client, res: { status: number; headers: Headers; text: string }, userId: string): Promise<string> {
  assert.equal(res.status, 303, `expected a redirect, got ${res.status}: ${res.text.slice(0, 400)}`);
  const location = res.headers.get('location')!;
  const before = await auditCount(s, userId);
  let text = '';
  for (let i = 0; i < 2; i++) {
    const page = await client.get(location);
    assert.equal(page.status, 200, `GET ${location} gave ${page.status}`);
    text = page.text;
  }
  assert.equal(await auditCount(s, userId), before, 'a reload repeats no action');
  return text;
}

/** A dashboard page's CSRF token. */
export async function pageCsrf(client: Client, path: string): Promise<string> {
  const page = await client.get(path);
  assert.equal(page.status, 200, `GET ${path} gave ${page.status}`);
  return csrfOf(page.text);
}

/** The alert a re-rendered form shows. */
export function alertOf(html: string): string {
  const match = /role="alert">([^<]*)</.exec(html);
  assert.ok(match, 'the page shows no error');
  return match[1]!;
}
