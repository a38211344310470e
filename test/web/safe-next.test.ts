import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameOriginPath } from '../../src/web/safe-next.js';
import { describeEachDialect } from '../support/harness.js';
import { anonymousForm } from './support/forms.js';

const ORIGIN = 'http://127.0.0.1:3000';

/** Values a browser would follow off-site (or that are no path at all): each must become '/'. */
const HOSTILE = [
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/\\/evil.example',
  '/.//evil.example',
  '/%2e//evil.example',
  '/a/..//evil.example',
  '/./\\evil.example',
  'https://evil.example/',
  'http://127.0.0.1:3000@evil.example/',
  'http://evil.example/http://127.0.0.1:3000/',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  '/' + 'a'.repeat(3000),
];

/** Same-origin paths: kept, in the parser's normal form. */
const FINE: Array<[string, string]> = [
  ['/', '/'],
  ['/audit', '/audit'],
  ['/products?q=a%20b#top', '/products?q=a%20b#top'],
  ['/settings/advanced/applications/abc', '/settings/advanced/applications/abc'],
  ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ['/a?next=//evil.example', '/a?next=//evil.example'],
  ['/a/../audit', '/audit'],
  ['/a b', '/a%20b'],
];

describe('sameOriginPath', () => {
  it('refuses every hostile value', () => {
    for (const value of HOSTILE) assert.equal(sameOriginPath(value, ORIGIN), '/', JSON.stringify(value));
    for (const value of [undefined, null, 42, ['/audit'], { toString: () => '/audit' }]) assert.equal(sameOriginPath(value, ORIGIN), '/');
  });

  it('keeps same-origin paths, normalised', () => {
    for (const [value, expected] of FINE) assert.equal(sameOriginPath(value, ORIGIN), expected, JSON.stringify(value));
  });

  it('no accepted value resolves off-origin when a browser follows it as a Location', () => {
    for (const value of [...HOSTILE, ...FINE.map(([v]) => v)]) {
      const location = sameOriginPath(value, ORIGIN);
      assert.equal(new URL(location, ORIGIN).origin, ORIGIN, JSON.stringify(value));
    }
  });
});

// Many sign-ups on one server: TESSERA_SIGNUP=open here (test/admin/signup-policy.test.ts tests invite and closed).
describeEachDialect('next after login and sign-up', (s) => {
  const PASSWORD = 'correct horse battery';
  const sample = ['/\t/evil.example', '/\\evil.example', '//evil.example', '/.//evil.example', 'https://evil.example/'];

  it('GET /login when logged in: 303 to / for hostile values, to the path otherwise', async () => {
    const { client } = await s().signUp();
    for (const next of sample) {
      const res = await client.get('/login', { query: { next } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/', JSON.stringify(next));
    }
    assert.equal((await client.get('/login', { query: { next: '/audit' } })).headers.get('location'), '/audit');
  });

  it('POST /login: a hostile next lands on /, and the session is made', async () => {
    const { user } = await s().signUp();
    for (const next of sample) {
      const client = s().client();
      const { cookie, csrf } = await anonymousForm(client, '/login');
      const res = await client.post('/login', { form: { _csrf: csrf, email: user.email, password: PASSWORD, next }, headers: { cookie } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/', JSON.stringify(next));
    }
    const sessions = await s().ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    assert.equal(sessions.length, 1 + sample.length);
  });

  it('POST /signup: a hostile next lands on /', async () => {
    const client = s().client();
    const { cookie, csrf } = await anonymousForm(client, '/signup');
    const email = `redirect-${Date.now()}@example.com`;
    const res = await client.post('/signup', { form: { _csrf: csrf, email, password: PASSWORD, next: '/\t/evil.example' }, headers: { cookie } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    assert.ok(await s().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
  });
}, { TESSERA_SIGNUP: 'open' });
