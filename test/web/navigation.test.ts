import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { setOwner } from '../../src/accounts/store.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
/** The links of the navigation named `label`, in order. */
const navLinks = (html: string, label: string) => {
  const nav = new RegExp(`<nav[^>]*aria-label="${label}"[^>]*>([\\s\\S]*?)</nav>`).exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[2], m[1]]);
};

describeEachDialect('Dashboard: navigation, 404 and error pages', (s) => {
  describe('navigation', () => {
    it('200: the main navigation names the areas a Gumroad and Gumloop user looks for, Settings holds Advanced and API keys', async () => {
      // The server's first account is its owner; the second is never one.
      const owner = await s().signUp();
      const { client } = await s().signUp();
      const home = await client.get('/');
      assert.equal(home.status, 200);
      assert.deepEqual(
        navLinks(home.text, 'Main').map(([label]) => label),
        ['Overview', 'Products', 'Sales', 'Licenses', 'Flows', 'Webhooks', 'Teams', 'Audit', 'Settings'],
      );
      await setOwner(s().ctx.db, owner.user.id, true);
      assert.deepEqual(navLinks((await owner.client.get('/')).text, 'Main').at(-1), ['Admin', '/admin'], 'an instance owner also sees Admin');
      assert.match(home.text, /<link rel="icon" href="\/static\/favicon.svg"/);
      assert.match(home.text, /<a class="topbar-link" href="\/docs">API reference<\/a>/);
      assert.deepEqual(navLinks(home.text, 'Settings'), [], 'the settings row shows on settings pages only');

      const advanced = await client.get('/settings/advanced');
      // Other settings pages (security, admin) add their own entries after these.
      assert.deepEqual(navLinks(advanced.text, 'Settings').slice(0, 4), [
        ['Advanced', '/settings/advanced'],
        ['API keys', '/api-keys'],
        ['Authorized applications', '/settings/authorized-applications'],
        ['Security', '/settings/security'],
      ]);
      assert.match(advanced.text, /<a href="\/settings" aria-current="page">Settings<\/a>/);
      assert.match(advanced.text, /<a href="\/settings\/advanced" aria-current="page">Advanced<\/a>/);
      const settings = await client.get('/settings');
      assert.equal(settings.status, 200);
      assert.match(settings.text, /Applications: the access tokens of your own tools/);
      assert.match((await client.get('/api-keys')).text, /<a href="\/api-keys" aria-current="page">API keys<\/a>/);
    });

    it('the favicon is served, and /favicon.ico points to it', async () => {
      const icon = await s().client().get('/static/favicon.svg');
      assert.equal(icon.status, 200);
      assert.match(icon.headers.get('content-type')!, /^image\/svg\+xml/);
      assert.match(icon.text, /^<svg /);
      const ico = await s().client().get('/favicon.ico');
      assert.equal(ico.status, 301);
      assert.equal(ico.headers.get('location'), '/static/favicon.svg');
    });
  });

  describe('404', () => {
    it('a browser asking for an unknown dashboard address gets an HTML page with the navigation', async () => {
      const { client } = await s().signUp();
      const res = await client.get('/no/such/page', { headers: HTML });
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'self'/);
      assert.match(res.text, /<h1>Page not found<\/h1>/);
      assert.match(res.text, /aria-label="Main"/);
      assert.match(res.text, /href="\/docs">Read the API reference/);
    });

    it('logged out, the page offers the login instead of the navigation', async () => {
      const res = await s().client().get('/nothing-here', { headers: HTML });
      assert.equal(res.status, 404);
      assert.doesNotMatch(res.text, /aria-label="Main"/);
      assert.match(res.text, /Log in to the dashboard/);
    });

    it('API families and non-browser clients keep their JSON 404', async () => {
      for (const path of ['/api/nope', '/v2/nope', '/api/v1/nope']) {
        const res = await s().client().get(path, { headers: HTML });
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type')!, /json/, path);
      }
      const script = await s().client().get('/no/such/page');
      assert.equal(script.status, 404);
      assert.equal(script.body.error, 'not_found');
    });

    it('a dashboard page of a missing thing is an HTML 404 too (no JSON)', async () => {
      const { client } = await s().signUp();
      const res = await client.get('/settings/advanced/applications/nope', { headers: HTML });
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.text, /<h1>Page not found<\/h1>/);
    });
  });
});
