import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../src/context.js';
import { deriveServerKeys } from '../../src/credentials/server-keys.js';
import {
  DASHBOARD_FORMS, OAUTH_LOGIN_FORM, anonymousCsrfToken, assertSameOrigin, checkAnonymousCsrf, checkSessionCsrf,
  isValidAnonymousCsrf, isValidSessionCsrf, sessionCsrfToken,
} from '../../src/http/csrf.js';

const ctx = { keys: deriveServerKeys('k'.repeat(40)), config: { secureCookies: false } } as unknown as AppContext;

function request(headers: Record<string, string>, cookies: Record<string, string> = {}, body?: Record<string, unknown>): FastifyRequest {
  return { headers: { host: 'tessera.test', ...headers }, cookies, body } as unknown as FastifyRequest;
}

function replyRecorder() {
  const set: Array<{ name: string; value: string; options: Record<string, unknown> }> = [];
  const reply = { setCookie: (name: string, value: string, options: Record<string, unknown>) => set.push({ name, value, options }) } as unknown as FastifyReply;
  return { reply, set };
}

describe('CSRF module', () => {
  it('tells our own origin from another site', () => {
    assert.doesNotThrow(() => assertSameOrigin(request({})));
    assert.doesNotThrow(() => assertSameOrigin(request({ origin: 'https://tessera.test' })));
    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.test' }, { origin: 'null' }, { origin: 'not a url' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of crossSite) {
      assert.throws(() => assertSameOrigin(request(headers)), { code: 'CROSS_SITE_REQUEST' }, JSON.stringify(headers));
    }
  });

  it('binds a logged-in form to its session', () => {
    const token = sessionCsrfToken(ctx, 'session-1');
    assert.equal(isValidSessionCsrf(ctx, request({}), 'session-1', token), true);
    assert.equal(isValidSessionCsrf(ctx, request({}), 'session-2', token), false);
    assert.equal(isValidSessionCsrf(ctx, request({ origin: 'https://evil.test' }), 'session-1', token), false);
    assert.doesNotThrow(() => checkSessionCsrf(ctx, request({}, {}, { _csrf: token }), 'session-1'));
    assert.throws(() => checkSessionCsrf(ctx, request({}, {}, { _csrf: [token] }), 'session-1'), { code: 'CSRF_TOKEN_INVALID' });
  });

  it('signs a logged-out form against its own cookie, one cookie per kind of form', () => {
    for (const forms of [DASHBOARD_FORMS, OAUTH_LOGIN_FORM]) {
      const first = request({});
      const { reply, set } = replyRecorder();
      const token = anonymousCsrfToken(ctx, first, reply, forms);
      assert.equal(set.length, 1);
      assert.equal(set[0]!.name, forms.cookie);
      assert.match(set[0]!.value, /^[A-Za-z0-9_-]{24}$/);
      assert.equal(set[0]!.options.httpOnly, true);
      const cookies = { [forms.cookie]: set[0]!.value };
      // The same nonce gives the same token and sets no new cookie.
      const again = replyRecorder();
      assert.equal(anonymousCsrfToken(ctx, request({}, cookies), again.reply, forms), token);
      assert.equal(again.set.length, 0);
      assert.equal(isValidAnonymousCsrf(ctx, request({}, cookies), token, forms), true);
      assert.equal(isValidAnonymousCsrf(ctx, request({}, {}), token, forms), false);
      assert.equal(isValidAnonymousCsrf(ctx, request({ 'sec-fetch-site': 'cross-site' }, cookies), token, forms), false);
    }
    const { reply, set } = replyRecorder();
    const token = anonymousCsrfToken(ctx, request({}), reply);
    const cookies = { tessera_csrf: set[0]!.value };
    assert.doesNotThrow(() => checkAnonymousCsrf(ctx, request({}, cookies, { _csrf: token })));
    assert.throws(() => checkAnonymousCsrf(ctx, request({}, { tessera_oauth_login: set[0]!.value }, { _csrf: token })), { code: 'CSRF_TOKEN_INVALID' });
  });
});
