import assert from 'node:assert/strict';
import type { Client, Response } from '../support/client.js';
import type { TestServer } from '../support/harness.js';

/** The four ways a Gumroad client sends parameters. */
export type Encoding = 'query' | 'form' | 'multipart' | 'json';
export const ENCODINGS: readonly Encoding[] = ['query', 'form', 'multipart', 'json'];

/** One v2 call with the token and the parameters in the given encoding (token in the same place). */
export function call(
  client: Client,
  method: string,
  path: string,
  token: string | undefined,
  params: Record<string, string> = {},
  encoding: Encoding = 'form',
): Promise<Response> {
  const all = token === undefined ? params : { access_token: token, ...params };
  if (encoding === 'query') return client.request(method, path, { query: all });
  if (encoding === 'json') return client.request(method, path, { json: all });
  if (encoding === 'multipart') return client.request(method, path, { multipart: all });
  return client.request(method, path, { form: all });
}

/** A product created through the API; returns its product object. */
export async function createProduct(s: TestServer, token: string, params: Record<string, string> = {}) {
  const res = await call(s.client(), 'POST', '/v2/products', token, { name: 'Widget', price: '500', ...params });
  assert.equal(res.status, 200);
  assert.equal(res.body.success, true, JSON.stringify(res.body));
  return res.body.product as { id: string; short_url: string; name: string; price: number; custom_permalink: string | null };
}

/** The unique permalink at the end of a product's short_url. */
export const permalinkOf = (product: { short_url: string }) => product.short_url.split('/').pop()!;

export const auditActions = async (s: TestServer, userId: string, action: string) =>
  s.ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();

/** One route for the shared authentication checks: `scope` is what a wrong token lacks (null: any token passes). */
export interface GuardedRoute {
  method: string;
  path: string;
  scope: string | null;
  /** A token scope that does not pass this route. */
  wrongScope?: string;
}
