import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestOptions, Response } from '../support/client.js';
import { describeEachDialect } from '../support/harness.js';
import { basic, thirdPartySetup } from './support.js';

/** Issue 11.8: every OAuth endpoint answers every malformed request in RFC 6749 §5.2 shape. */
const ENDPOINTS = ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization', '/oauth/authorize'];

const BAD_BODIES: { label: string; options: RequestOptions }[] = [
  { label: 'broken JSON', options: { raw: { body: '{"grant_type": ', type: 'application/json' } } },
  { label: 'JSON array', options: { raw: { body: '[1,2]', type: 'application/json' } } },
  { label: 'JSON string', options: { raw: { body: '"x"', type: 'application/json' } } },
  { label: 'wrong types', options: { json: { grant_type: 5, client_id: { a: 1 }, token: ['a', 'b'], scope: true } } },
  { label: 'nested object', options: { json: { grant_type: { nested: { deeper: 1 } }, client_id: { nested: 1 } } } },
  { label: 'deeply nested', options: { raw: { body: '{"a":'.repeat(500) + '1' + '}'.repeat(500), type: 'application/json' } } },
  { label: '3000-deep arrays', options: { raw: { body: '['.repeat(3000) + ']'.repeat(3000), type: 'application/json' } } },
  { label: 'text/plain', options: { raw: { body: 'grant_type=client_credentials', type: 'text/plain' } } },
  { label: 'application/xml', options: { raw: { body: '<x/>', type: 'application/xml' } } },
  { label: 'no Content-Type', options: {} },
  { label: 'prototype key', options: { raw: { body: '__proto__[x]=1&grant_type=client_credentials', type: 'application/x-www-form-urlencoded' } } },
  { label: 'JSON __proto__', options: { raw: { body: '{"__proto__":{"x":1}}', type: 'application/json' } } },
  { label: 'repeated parameter', options: { raw: { body: 'grant_type=a&grant_type=b&token=a&token=b&client_id=a&client_id=b', type: 'application/x-www-form-urlencoded' } } },
  { label: 'NUL byte', options: { form: { grant_type: 'client_credentials\u0000', token: 'a\u0000', client_id: 'x\u0000' } } },
  { label: 'broken multipart', options: { raw: { body: '--b\r\nnope', type: 'multipart/form-data; boundary=b' } } },
  { label: '2 MB form', options: { raw: { body: 'token=' + 'x'.repeat(2 * 1024 * 1024), type: 'application/x-www-form-urlencoded' } } },
];

function assertOAuthError(res: Response, status: number, error: string, label: string): void {
  assert.equal(res.status, status, `${label}: ${res.status} ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, label);
  assert.equal(res.body.error, error, `${label}: ${res.text.slice(0, 300)}`);
  assert.equal(typeof res.body.error_description, 'string', label);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'error_description'], label);
  assert.equal(res.headers.get('cache-control'), 'no-store', label);
}

describeEachDialect('OAuth endpoints and malformed requests', (s) => {
  describe('400', () => {
    it('answers invalid_request to broken, wrong-type, unsupported, oversized and hostile bodies on every endpoint', async () => {
      for (const path of ENDPOINTS) {
        for (const { label, options } of BAD_BODIES) {
          // An empty POST to the authorization endpoint is a browser without a session: the login.
          if (path === '/oauth/authorize' && label === 'no Content-Type') continue;
          const res = await s().client().post(path, options);
          // A well-formed but wrong-typed body may reach client authentication first.
          if (label === 'wrong types' && res.status === 401) {
            assertOAuthError(res, 401, 'invalid_client', `${path} ${label}`);
            continue;
          }
          // The authorization endpoint shows a browser (a form post) its error page instead.
          if (path === '/oauth/authorize' && /text\/html/.test(res.headers.get('content-type') ?? '')) {
            assert.equal(res.status, 400, `${path} ${label}`);
            assert.match(res.text, /Invalid request/);
            continue;
          }
          assertOAuthError(res, 400, 'invalid_request', `${path} ${label}`);
        }
      }
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it('answers invalid_request with a valid client too, and issues nothing', async () => {
      const setup = await thirdPartySetup(s());
      const auth = basic(setup.clientId, setup.clientSecret);
      for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization']) {
        for (const { label, options } of BAD_BODIES.filter((b) => b.label !== 'wrong types')) {
          const res = await s().client().post(path, { ...options, headers: auth });
          assertOAuthError(res, 400, 'invalid_request', `${path} ${label}`);
        }
      }
      const issued = await s().ctx.db.selectFrom('access_tokens').select('id').where('application_id', '=', (await s().ctx.db.selectFrom('applications').select('id').where('client_id', '=', setup.clientId).executeTakeFirstOrThrow()).id).execute();
      assert.equal(issued.length, 0);
    });
  });

  describe('401', () => {
    it('answers invalid_client with a Basic challenge when the client authenticated with a wrong secret', async () => {
      const setup = await thirdPartySetup(s());
      for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization']) {
        const res = await s().client().post(path, { form: { grant_type: 'client_credentials', token: 'x' }, headers: basic(setup.clientId, 'wrong') });
        assertOAuthError(res, 401, 'invalid_client', path);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /, path);
      }
    });
  });
});
