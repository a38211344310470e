import assert from 'node:assert/strict';
import type { Client } from './client.js';
import type { TestServer } from './harness.js';

/** A tiny valid PNG (1×1), for icon uploads. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Creates an application through the API and returns it with its one-time client secret. */
export async function createApp(client: Client, body: Record<string, unknown> = {}) {
  const res = await client.post('/api/applications', { json: { name: 'My script', redirect_uri: 'http://127.0.0.1', ...body } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { application: { id: string; client_id: string; scopes: string[] }; client_secret: string };
}

/** "Generate access token" through the API. */
export async function generateToken(client: Client, appId: string, body: Record<string, unknown> = {}) {
  const res = await client.post(`/api/applications/${encodeURIComponent(appId)}/token`, { json: body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.access_token as string;
}

/** A seller with an application and a fresh owner token (optionally with chosen scopes). */
export async function sellerWithToken(server: TestServer, scopes?: string) {
  const seller = await server.signUp();
  const { application } = await createApp(seller.client);
  const token = await generateToken(seller.client, application.id, scopes ? { scopes } : {});
  return { ...seller, application, token };
}
