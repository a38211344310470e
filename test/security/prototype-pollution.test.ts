import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client, Response } from '../support/client.js';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

/** Issue 11.2: bracketed and JSON prototype keys never reach Object.prototype, on any encoding. */
const MARK = 'polluted_by_test';

function prototypeIsClean(): void {
  const probe = {} as Record<string, unknown>;
  for (const name of [MARK, 'bearer_token', 'access_token', 'x', 'isAdmin']) assert.equal(probe[name], undefined, `Object.prototype.${name} is set`);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((n) => n === MARK || n === 'bearer_token'), []);
}

/** Every way a client can smuggle a prototype key, each naming `name` (a bracketed key). */
function attacks(name: string, value: string): { label: string; send(c: Client, method: string, path: string, headers: Record<string, string>): Promise<Response> }[] {
  const pairs = [`__proto__[${name}]`, `constructor[prototype][${name}]`, `a[__proto__][${name}]`];
  const out: ReturnType<typeof attacks> = [];
  for (const key of pairs) {
    out.push({ label: `query ${key}`, send: (c, m, p, headers) => c.request(m, `${p}?${encodeURIComponent(key)}=${encodeURIComponent(value)}`, { headers }) });
    out.push({ label: `urlencoded ${key}`, send: (c, m, p, headers) => c.request(m, p, { headers, raw: { body: `${encodeURIComponent(key)}=${encodeURIComponent(value)}`, type: 'application/x-www-form-urlencoded' } }) });
    out.push({ label: `multipart ${key}`, send: (c, m, p, headers) => c.request(m, p, { headers, multipart: { [key]: value } }) });
  }
  for (const body of [`{"__proto__":{"${name}":"${value}"}}`, `{"constructor":{"prototype":{"${name}":"${value}"}}}`, `{"a":{"prototype":{"${name}":"${value}"}}}`]) {
    out.push({ label: `json ${body}`, send: (c, m, p, headers) => c.request(m, p, { headers, raw: { body, type: 'application/json' } }) });
  }
  return out;
}

describeEachDialect('prototype keys in parameters', (s) => {
  describe('400', () => {
    it('refuses them on every encoding and route family, with a valid token, and stores nothing', async () => {
      const seller = await sellerWithToken(s());
      const bearer = { authorization: `Bearer ${seller.token}` };
      const targets: { method: string; path: string; headers: Record<string, string>; client: Client; check(res: Response): void }[] = [
        // Gumroad v2: {success:false, message} (contract, Tessera's decisions)
        { method: 'POST', path: '/v2/products', headers: bearer, client: s().client(), check: (r) => assert.equal(r.body.success, false) },
        { method: 'GET', path: '/v2/user', headers: bearer, client: s().client(), check: (r) => assert.equal(r.body.success, false) },
        { method: 'POST', path: '/v2/licenses/verify', headers: {}, client: s().client(), check: (r) => assert.equal(r.body.success, false) },
        // Tessera's own JSON API
        { method: 'POST', path: '/api/applications', headers: {}, client: seller.client, check: (r) => assert.equal(r.body.error, 'validation_failed') },
        // Gumloop API: {error, message}
        { method: 'POST', path: '/api/v1/start_pipeline', headers: {}, client: s().client(), check: (r) => assert.equal(r.body.error, 'Bad Request') },
        // OAuth: RFC 6749 §5.2
        { method: 'POST', path: '/oauth/token', headers: {}, client: s().client(), check: (r) => assert.equal(r.body.error, 'invalid_request') },
      ];
      let requests = 0;
      for (const target of targets) {
        for (const attack of attacks(MARK, 'yes')) {
          const res = await attack.send(target.client, target.method, target.path, target.headers);
          requests++;
          assert.equal(res.status, 400, `${target.method} ${target.path} ${attack.label}: ${res.status} ${res.text.slice(0, 200)}`);
          assert.match(res.headers.get('content-type') ?? '', /application\/json/);
          target.check(res);
          const message = String(res.body.message ?? res.body.error_description);
          assert.match(message, /__proto__|constructor|prototype/, attack.label);
          prototypeIsClean();
        }
      }
      assert.equal(requests, 6 * 12);
      const products = await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', seller.user.id).execute();
      assert.equal(products.length, 0, 'a refused request created a product');
      const apps = await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', seller.user.id).execute();
      assert.equal(apps.length, 1, 'a refused request created an application');
    });

    it('refuses them on dashboard pages as an HTML 400', async () => {
      const seller = await sellerWithToken(s());
      const res = await seller.client.get(`/products?${encodeURIComponent('__proto__[x]')}=1`);
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      prototypeIsClean();
    });
  });

  describe('401', () => {
    it('a __proto__[bearer_token] of a valid token authenticates nobody afterwards', async () => {
      const seller = await sellerWithToken(s());
      for (const attack of attacks('bearer_token', seller.token)) {
        await attack.send(s().client(), 'GET', '/v2/products', { authorization: `Bearer ${seller.token}` });
      }
      prototypeIsClean();
      for (const path of ['/v2/user', '/v2/products', '/api/v2/user']) {
        const res = await s().client().get(path);
        assert.equal(res.status, 401, path);
        assert.equal(res.body.success, false);
      }
      // The same token still works where it is actually sent.
      const own = await s().client().get('/v2/user', { headers: { authorization: `Bearer ${seller.token}` } });
      assert.equal(own.status, 200);
      assert.equal(own.body.user.email, seller.user.email);
    });
  });
});
