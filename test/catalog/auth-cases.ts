import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../support/harness.js';
import { createApp, generateToken, sellerWithToken } from '../support/fixtures.js';
import { call, type GuardedRoute } from './helpers.js';

/**
 * The checks every v2 route shares: 401 without a valid token (before any parameter is read),
 * 403 naming the scope for a token without it, and the same route at /api/v2 and with doubled
 * slashes (reaching the handler: a JSON answer, never "no route").
 */
export function authenticationCases(s: () => TestServer, routes: GuardedRoute[]): void {
  describe('401', () => {
    it('refuses a missing, malformed or unknown token on every route, with the Bearer challenge', async () => {
      for (const route of routes) {
        for (const token of [undefined, 'garbage', 'tsr_at_' + '0'.repeat(49)]) {
          const res = await call(s().client(), route.method, route.path, token, { price: 'not-a-number' });
          assert.equal(res.status, 401, `${route.method} ${route.path}`);
          assert.equal(res.body.success, false);
          assert.equal(res.body.message, 'The access token is invalid');
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
        }
      }
    });
  });

  describe('403', () => {
    it('names the missing scope on every route that needs one', async () => {
      const seller = await s().signUp();
      const tokens = new Map<string, string>();
      for (const route of routes.filter((r) => r.scope)) {
        const scope = route.wrongScope!;
        // One application per scope: a new owner token replaces the application's previous one.
        if (!tokens.has(scope)) tokens.set(scope, await generateToken(seller.client, (await createApp(seller.client)).application.id, { scopes: scope }));
        const res = await call(s().client(), route.method, route.path, tokens.get(scope));
        assert.equal(res.status, 403, `${route.method} ${route.path}`);
        assert.deepEqual(res.body, { success: false, message: `This endpoint requires the ${route.scope} scope.` });
      }
    });
  });

  describe('routing', () => {
    it('answers every route at /api/v2 and with doubled slashes', async () => {
      const { token } = await sellerWithToken(s(), 'account');
      for (const route of routes) {
        for (const path of [route.path.replace(/^\/v2\//, '/api/v2/'), route.path.replace(/\//g, '//')]) {
          const res = await call(s().client(), route.method, path, token);
          assert.equal(res.status === 200 || res.status === 400, true, `${route.method} ${path}: ${res.status} ${res.text}`);
          assert.equal(typeof res.body.success, 'boolean', `${route.method} ${path}`);
        }
      }
    });
  });
}
