import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createFlow } from '../../src/flows/service.js';
import { EXAMPLE_FLOW } from '../../src/web/pages/flow-editor.js';
import { SNIPPET_LANGUAGES } from '../../src/web/services/webhook-snippets.js';
import { describeEachDialect } from '../support/harness.js';
import { assertAlreadyShown, follow, sessionCsrf } from './support/forms.js';

const run = promisify(execFile);
const SYSTEM = { type: 'system' as const, id: null, ip: null };
const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
/** The text of one snippet block on the page. */
const snippet = (html: string, id: string) => decode(new RegExp(`<pre id="${id}"[^>]*><code>([\\s\\S]*?)</code></pre>`).exec(html)?.[1] ?? '');

describeEachDialect('Dashboard: the flow webhook panel', (s) => {
  async function sellerWithFlow() {
    const seller = await s().signUp();
    const flow = await createFlow(s().ctx, seller.user.id, { definition: JSON.parse(EXAMPLE_FLOW) }, SYSTEM);
    const csrf = await sessionCsrf(seller.client, `/flows/${flow.id}/webhook`);
    return { ...seller, flow, csrf, path: `/flows/${flow.id}/webhook` };
  }
  const runsOf = (flowId: string) => s().ctx.db.selectFrom('flow_runs').select(['id', 'inputs']).where('flow_id', '=', flowId).execute();

  describe('GET /flows/:id/webhook', () => {
    it('200 without a key chosen: the first key is picked, its snippets hold a placeholder and say how to fill it in', async () => {
      const { client, csrf, path } = await sellerWithFlow();
      await follow(client, await client.post('/api-keys', { form: { _csrf: csrf, name: 'Shown once', scopes: 'flows:run' } }));
      const page = await client.get(path);
      assert.equal(page.status, 200);
      assert.match(snippet(page.text, 'snippet-curl-url'), /api_key=YOUR_API_KEY/);
      assert.match(page.text, /Shown once was shown once when it was made/);
      assert.match(page.text, /Create a key for this flow/);
    });

    it('200: once the password was confirmed, a recoverable key fills in with no key named in the address', async () => {
      const { client, csrf, path, password } = await sellerWithFlow();
      await client.post('/api-keys/settings', { form: { _csrf: csrf, recoverable_keys: 'on' } });
      const created = await follow(client, await client.post('/api-keys', { form: { _csrf: csrf, name: 'Kept', scopes: 'flows:run' } }));
      const secret = /id="api-key"[^>]*value="(tsr_pk_[^"]+)"/.exec(created.text)![1]!;
      const keyId = (await s().ctx.db.selectFrom('api_keys').select('id').where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow()).id;
      assert.match(snippet((await client.get(path)).text, 'snippet-python-url'), /YOUR_API_KEY/, 'not before the password');
      await follow(client, await client.post(path, { form: { _csrf: csrf, key_id: keyId, password } }));
      const later = await client.get(path);
      for (const l of SNIPPET_LANGUAGES) assert.ok(snippet(later.text, `snippet-${l.id}-url`).includes(`api_key=${secret}`), l.id);
      assert.ok(snippet(later.text, 'snippet-java-header').includes(`"Authorization", "Bearer ${secret}"`));
    });
  });

  describe('POST /flows/:id/webhook/key', () => {
    it('303: the new key fills every snippet once; each names what it needs; the cURL and JavaScript ones start the flow as written', async () => {
      const { client, csrf, path, flow } = await sellerWithFlow();
      const shown = await follow(client, await client.post(`${path}/key`, { form: { _csrf: csrf } }));
      const secret = /api_key=(tsr_pk_[A-Za-z0-9_-]+)/.exec(shown.text)?.[1];
      assert.ok(secret);
      assert.match(shown.text, /Copy the snippet now: the key is shown only this once/);
      for (const l of SNIPPET_LANGUAGES) {
        assert.ok(snippet(shown.text, `snippet-${l.id}-url`).includes(secret), `${l.id} in the URL`);
        assert.ok(snippet(shown.text, `snippet-${l.id}-header`).includes(`Bearer ${secret}`), `${l.id} in the header`);
        assert.ok(decode(shown.text).includes(`Needs: ${l.needs}`), `${l.id} names what it needs`);
      }
      assert.match(decode(shown.text), /linked against libcurl: g\+\+ start_flow\.cpp -lcurl/);

      const hasCurl = existsSync('/usr/bin/curl') || existsSync('/bin/curl');
      if (hasCurl) {
        await run('bash', ['-c', snippet(shown.text, 'snippet-curl-url')]);
        await run('bash', ['-c', snippet(shown.text, 'snippet-curl-header')]);
      }
      const js = await run(process.execPath, ['--input-type=module', '-e', snippet(shown.text, 'snippet-javascript-header')]);
      assert.match(js.stdout, /run_id/);
      const runs = await runsOf(flow.id);
      assert.equal(runs.length, hasCurl ? 3 : 1, 'each snippet run started the flow once');
      await assertAlreadyShown(client, shown.location, secret);
    });

    it('403 without the CSRF token: no key is made', async () => {
      const { client, path, user } = await sellerWithFlow();
      assert.equal((await client.post(`${path}/key`, { form: {} })).status, 403);
      assert.equal(await s().ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    });

    it("404 for another seller's flow: no key is made", async () => {
      const { flow } = await sellerWithFlow();
      const other = await s().signUp();
      const res = await other.client.post(`/flows/${flow.id}/webhook/key`, { form: { _csrf: await sessionCsrf(other.client, '/flows') } });
      assert.equal(res.status, 404);
      assert.equal(await s().ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', other.user.id).executeTakeFirst(), undefined);
    });
  });
});
