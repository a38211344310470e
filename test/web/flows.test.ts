import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { assertAlreadyShown, follow, sessionCsrf } from './support/forms.js';
import { EXAMPLE_FLOW } from '../../src/web/pages/flow-editor.js';

describeEachDialect('Dashboard: flows', (s) => {
  async function sellerWithFlow() {
    const seller = await s().signUp();
    const csrf = await sessionCsrf(seller.client, '/flows/new');
    const res = await seller.client.post('/flows', { form: { _csrf: csrf, team_id: '', definition: EXAMPLE_FLOW } });
    assert.equal(res.status, 303);
    const flowId = decodeURIComponent(res.headers.get('location')!.split('/')[2]!);
    return { ...seller, csrf, flowId };
  }
  const flowRow = (id: string) => s().ctx.db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('POST /flows', () => {
    it('303: saves a valid definition as the viewer’s flow, audited', async () => {
      const { user, flowId } = await sellerWithFlow();
      const row = await flowRow(flowId);
      assert.equal(row.owner_type, 'user');
      assert.equal(row.owner_id, user.id);
      assert.equal(row.name, 'Say hello');
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', user.id).where('action', '=', 'flow.created').execute();
      assert.equal(audit.length, 1);
    });

    it('303: malformed JSON and a definition the schema refuses are explained after the redirect, and nothing is saved', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/flows/new');
      const broken = await follow(client, await client.post('/flows', { form: { _csrf: csrf, definition: '{"name": ' } }));
      assert.match(broken.text, /The definition is not valid JSON/);
      assert.ok(broken.text.includes('{&quot;name&quot;: </textarea>'), 'the text is kept in the editor');
      const unknownStep = await follow(client, await client.post('/flows', { form: { _csrf: csrf, definition: JSON.stringify({ name: 'x', steps: [{ id: 'a', type: 'teleport' }] }) } }));
      assert.match(unknownStep.text, /unknown step type &quot;teleport&quot;/);
      assert.equal(await s().ctx.db.selectFrom('flows').select('id').where('owner_id', '=', user.id).executeTakeFirst(), undefined);
    });
  });

  describe('POST /flows/:id and /runs', () => {
    it('saves an edited definition; a run started from the form reaches DONE with its outputs', async () => {
      const { client, csrf, flowId } = await sellerWithFlow();
      const edited = JSON.parse(EXAMPLE_FLOW);
      edited.name = 'Say hello twice';
      const saved = await client.post(`/flows/${flowId}`, { form: { _csrf: csrf, definition: JSON.stringify(edited) } });
      assert.equal(saved.status, 303);
      assert.equal((await flowRow(flowId)).name, 'Say hello twice');

      const started = await client.post(`/flows/${flowId}/runs`, { form: { _csrf: csrf, 'input.who': 'Grace' } });
      assert.equal(started.status, 303);
      const runPath = started.headers.get('location')!;
      let page = await client.get(runPath);
      for (let i = 0; i < 100 && !/>DONE</.test(page.text); i++) {
        assert.match(page.headers.get('content-type')!, /html/);
        assert.match(page.text, /http-equiv="refresh"/);
        await new Promise((r) => setTimeout(r, 100));
        page = await client.get(runPath);
      }
      assert.match(page.text, />DONE</);
      assert.ok(!/http-equiv="refresh"/.test(page.text), 'a finished run stops refreshing');
      assert.match(page.text, /&quot;greeting&quot;: &quot;Hello, Grace!&quot;/);
      assert.match((await client.get(`/flows/${flowId}`)).text, new RegExp(`data-run="${runPath.split('/').pop()}"`));
    });

    it("404: another account's flow reads as missing and cannot be run", async () => {
      const { flowId } = await sellerWithFlow();
      const other = await s().signUp();
      assert.equal((await other.client.get(`/flows/${flowId}`)).status, 404);
      const run = await other.client.post(`/flows/${flowId}/runs`, { form: { _csrf: await sessionCsrf(other.client) } });
      assert.equal(run.status, 404);
      assert.equal(await s().ctx.db.selectFrom('flow_runs').select('id').where('flow_id', '=', flowId).executeTakeFirst(), undefined);
    });
  });

  describe('POST /flows/:id/webhook', () => {
    it('fills the trigger URL and snippets with the pasted key once; a placeholder otherwise; a wrong key is explained', async () => {
      const { client, csrf, flowId } = await sellerWithFlow();
      const created = await follow(client, await client.post('/api-keys', { form: { _csrf: csrf, name: 'Hook', scopes: 'flows:run' } }));
      const secret = /id="api-key"[^>]*value="(tsr_pk_[^"]+)"/.exec(created.text)![1]!;
      const keyId = (await s().ctx.db.selectFrom('api_keys').select('id').where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow()).id;

      const withKey = await follow(client, await client.post(`/flows/${flowId}/webhook`, { form: { _csrf: csrf, key_id: keyId, api_key: secret } }));
      for (const lang of ['curl', 'python', 'javascript', 'java', 'cpp']) {
        assert.match(withKey.text, new RegExp(`id="snippet-${lang}-url"[^>]*><code>[^<]*api_key=${secret}`), lang);
        assert.match(withKey.text, new RegExp(`id="snippet-${lang}-header"[^>]*><code>[^<]*Bearer ${secret}`), lang);
      }
      assert.match(withKey.text, /linked against libcurl/);
      await assertAlreadyShown(client, withKey.location, secret);

      const placeholder = await follow(client, await client.post(`/flows/${flowId}/webhook`, { form: { _csrf: csrf, key_id: keyId } }));
      assert.match(placeholder.text, /api_key=YOUR_API_KEY/);
      assert.ok(!placeholder.text.includes(secret));
      assert.match(placeholder.text, /Paste the key/);

      const wrong = await follow(client, await client.post(`/flows/${flowId}/webhook`, { form: { _csrf: csrf, key_id: keyId, api_key: 'tsr_pk_not-this-one' } }));
      assert.match(wrong.text, /is not the current secret of this key/);
    });

    it('a recoverable key fills in by itself once the password was confirmed in the session', async () => {
      const { client, csrf, flowId, password, user } = await sellerWithFlow();
      await client.post('/api-keys/settings', { form: { _csrf: csrf, recoverable_keys: 'on' } });
      const created = await follow(client, await client.post('/api-keys', { form: { _csrf: csrf, name: 'Kept', scopes: 'flows:run' } }));
      const secret = /id="api-key"[^>]*value="(tsr_pk_[^"]+)"/.exec(created.text)![1]!;
      const keyId = (await s().ctx.db.selectFrom('api_keys').select('id').where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow()).id;
      const before = await client.get(`/flows/${flowId}/webhook?key=${keyId}`);
      assert.match(before.text, /api_key=YOUR_API_KEY/);
      assert.match(before.text, /Confirm password and fill in the key/);
      const confirmed = await follow(client, await client.post(`/flows/${flowId}/webhook`, { form: { _csrf: csrf, key_id: keyId, password } }));
      assert.ok(confirmed.text.includes(`api_key=${secret}`));
      const later = await client.get(`/flows/${flowId}/webhook?key=${keyId}`);
      assert.ok(later.text.includes(`api_key=${secret}`), 'the session remembers the confirmed password');
      const reveals = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', user.id).where('action', '=', 'apikey.revealed').execute();
      assert.equal(reveals.length, 2);
    });

    it('"Create a key for this flow" shows the new key in the snippets once', async () => {
      const { client, csrf, flowId, user } = await sellerWithFlow();
      const shown = await follow(client, await client.post(`/flows/${flowId}/webhook/key`, { form: { _csrf: csrf } }));
      const secret = /api_key=(tsr_pk_[A-Za-z0-9_-]+)/.exec(shown.text)?.[1];
      assert.ok(secret, 'the new key is in the snippets');
      const row = await s().ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow();
      assert.equal(row.user_id, user.id);
      assert.equal(row.name, 'Webhook of Say hello');
      await assertAlreadyShown(client, shown.location, secret);
    });
  });

  describe('POST /flows/:id/delete', () => {
    it('asks first (a confirmation page without script), then deletes', async () => {
      const { client, csrf, flowId } = await sellerWithFlow();
      const ask = await follow(client, await client.post(`/flows/${flowId}/delete`, { form: { _csrf: csrf } }));
      assert.match(ask.text, /Say hello will be deleted with its history of 0 runs: its webhook URL/);
      assert.equal((await flowRow(flowId)).deleted_at, null);
      const done = await client.post(`/flows/${flowId}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), '/flows?deleted=1');
      assert.notEqual((await flowRow(flowId)).deleted_at, null);
    });
  });
});
