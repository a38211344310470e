import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { PNG_1X1, createApp } from '../support/fixtures.js';

describeEachDialect('POST /api/applications', (s) => {
  describe('201', () => {
    it('creates an application, shows the client secret once and stores only its hash', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api/applications', { json: { name: ' Zapier bridge ', redirect_uri: 'http://127.0.0.1' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.application.name, 'Zapier bridge');
      assert.match(res.body.client_secret, /^tsr_cs_/);
      assert.deepEqual(res.body.application.scopes, ['view_profile', 'edit_products', 'view_sales', 'mark_sales_as_shipped', 'refund_sales', 'edit_sales']);
      const row = await s().ctx.db.selectFrom('applications').selectAll().where('id', '=', res.body.application.id).executeTakeFirstOrThrow();
      assert.equal(row.owner_id, user.id);
      assert.equal(row.client_secret_hash, s().ctx.keys.hash(res.body.client_secret));
      assert.ok(!JSON.stringify(row).includes(res.body.client_secret));
      const shown = await client.get(`/api/applications/${encodeURIComponent(res.body.application.id)}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.application.client_id, res.body.application.client_id);
      assert.equal(shown.body.client_secret, undefined, 'never shown again');
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('target_id', '=', res.body.application.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['application.created']);
    });

    it('accepts a PNG icon as multipart and serves it back', async () => {
      const { client } = await s().signUp();
      const res = await client.post('/api/applications', {
        multipart: { name: 'With icon', redirect_uri: 'https://example.com/cb', icon: new Blob([PNG_1X1], { type: 'image/png' }) },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(res.body.application.icon_url);
      const icon = await client.get(res.body.application.icon_url);
      assert.equal(icon.status, 200);
      assert.equal(icon.headers.get('content-type'), 'image/png');
    });

    it('accepts a JPEG or PNG icon as a data URL in JSON', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client, { icon: `data:image/png;base64,${PNG_1X1.toString('base64')}` });
      assert.ok((application as unknown as { icon_url: string }).icon_url);
    });
  });

  describe('400', () => {
    it('refuses a relative redirect URI, a missing name, unknown scopes and a fragment', async () => {
      const { client, user } = await s().signUp();
      const relative = await client.post('/api/applications', { json: { name: 'x', redirect_uri: '/callback' } });
      assert.equal(relative.status, 400);
      assert.match(relative.body.message, /absolute URL/);
      const noName = await client.post('/api/applications', { json: { redirect_uri: 'http://127.0.0.1' } });
      assert.equal(noName.status, 400);
      assert.match(noName.body.message, /'name'/);
      const blank = await client.post('/api/applications', { json: { name: '   ', redirect_uri: 'http://127.0.0.1' } });
      assert.equal(blank.status, 400);
      const scopes = await client.post('/api/applications', { json: { name: 'x', redirect_uri: 'http://127.0.0.1', scopes: 'view_sales admin' } });
      assert.equal(scopes.status, 400);
      assert.match(scopes.body.message, /admin/);
      const fragment = await client.post('/api/applications', { json: { name: 'x', redirect_uri: 'http://127.0.0.1/#x' } });
      assert.equal(fragment.status, 400);
      const wrongType = await client.post('/api/applications', { json: { name: 42, redirect_uri: 'http://127.0.0.1' } });
      assert.equal(wrongType.status, 400);
      const rows = await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).execute();
      assert.equal(rows.length, 0, 'nothing stored');
    });

    it('refuses an icon that is not PNG/JPEG or is over 256 KiB', async () => {
      const { client } = await s().signUp();
      const gif = await client.post('/api/applications', { json: { name: 'x', redirect_uri: 'http://127.0.0.1', icon: Buffer.from('GIF89a....').toString('base64') } });
      assert.equal(gif.status, 400);
      assert.equal(gif.body.message, 'Invalid image type for icon, please try again.');
      const big = Buffer.concat([PNG_1X1, Buffer.alloc(300 * 1024)]);
      const huge = await client.post('/api/applications', { multipart: { name: 'x', redirect_uri: 'http://127.0.0.1', icon: new Blob([big]) } });
      assert.ok(huge.status === 400 || huge.status === 413, `got ${huge.status}`);
      assert.equal(huge.body.success, false);
    });

    it('refuses an oversized name', async () => {
      const { client } = await s().signUp();
      const res = await client.post('/api/applications', { json: { name: 'x'.repeat(101), redirect_uri: 'http://127.0.0.1' } });
      assert.equal(res.status, 400);
    });
  });

  describe('401', () => {
    it('needs a session', async () => {
      const res = await s().client().post('/api/applications', { json: { name: 'x', redirect_uri: 'http://127.0.0.1' } });
      assert.equal(res.status, 401);
    });
  });
});
