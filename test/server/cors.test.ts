import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { describeEachDialect, startServer, type TestServer } from '../support/harness.js';
import { licensedSale } from '../licenses/fixtures.js';
import { borrowBrowser, returnBrowser } from '../web/support/browser.js';

const ORIGIN = 'https://plugin.example';

const preflight = (s: TestServer, path: string, method = 'POST', headers = 'authorization, content-type') =>
  s.client().request('OPTIONS', path, { headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describeEachDialect('CORS on the API routes', (s) => {
  describe('204 (preflight)', () => {
    for (const path of ['/v2/licenses/verify', '/api/v2/licenses/verify', '/v2/user', '/api/v1/start_pipeline', '/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization', '/oauth/token/info', '/.well-known/oauth-authorization-server']) {
      it(`answers the preflight of ${path} for every origin, without credentials`, async () => {
        const res = await preflight(s(), path);
        assert.equal(res.status, 204, path);
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        assert.equal(res.headers.get('access-control-allow-credentials'), null);
        assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
        assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type');
        assert.equal(res.text, '');
      });
    }
  });

  describe('200', () => {
    it('a License API answer carries Access-Control-Allow-Origin: *', async () => {
      const { product, key } = await licensedSale(s());
      const res = await s().client().post('/v2/licenses/verify', { headers: { origin: ORIGIN }, form: { product_id: product.id, license_key: key } });
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    });

    it('an error answer of the API carries it too (the page can read the message)', async () => {
      const res = await s().client().post('/v2/licenses/verify', { headers: { origin: ORIGIN }, form: { product_id: 'nope', license_key: 'nope' } });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    });
  });

  describe('404 (session and dashboard routes)', () => {
    for (const path of ['/api/users', '/api/session', '/api/authorized-applications', '/oauth/authorize', '/login', '/']) {
      it(`refuses the preflight of ${path} and adds no CORS header`, async () => {
        const res = await preflight(s(), path);
        assert.equal(res.status, 404, path);
        assert.equal(res.headers.get('access-control-allow-origin'), null);
      });
    }

    it('a session route answer carries no Access-Control-Allow-Origin', async () => {
      const { client } = await s().signUp();
      const res = await client.get('/api/session', { headers: { origin: ORIGIN } });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    });
  });
});

describe('CORS from another origin in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: http.Server;
  let pageUrl: string;
  before(async () => {
    server = await startServer('sqlite');
    browser = await borrowBrowser();
    // A second origin (another port): the "plugin" page that calls Tessera.
    page = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>plugin</title>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const address = page.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  after(async () => {
    await returnBrowser(browser);
    page?.closeAllConnections();
    await new Promise((resolve) => page?.close(resolve));
    await server?.close();
  });

  it('a page checks a license with fetch, reads the token-guarded API, and cannot read a session route', async () => {
    const { product, key, seller } = await licensedSale(server);
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(pageUrl);
    const api = server.url;
    const result = await tab.evaluate(
      async ({ api, productId, key, token }) => {
        // A simple request (form body): no preflight.
        const verify = await fetch(`${api}/v2/licenses/verify`, { method: 'POST', body: new URLSearchParams({ product_id: productId, license_key: key }) });
        // JSON + Authorization: the browser sends a preflight first.
        const user = await fetch(`${api}/v2/user`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
        let session: string;
        try {
          await fetch(`${api}/api/session`);
          session = 'readable';
        } catch (err) {
          session = String(err);
        }
        return { verify: { status: verify.status, body: await verify.json() }, user: { status: user.status, body: await user.json() }, session, origin: location.origin };
      },
      { api, productId: product.id, key, token: seller.token },
    );
    await context.close();
    assert.notEqual(result.origin, api);
    assert.equal(result.verify.status, 200);
    assert.equal(result.verify.body.success, true);
    assert.equal(result.verify.body.purchase.license_key, key);
    assert.equal(result.user.status, 200);
    assert.equal(result.user.body.success, true);
    assert.match(result.session, /TypeError/);
  });
});
