import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp } from '../support/fixtures.js';

describeEachDialect('bad input never gets a 500', (s) => {
  describe('413', () => {
    it('refuses a body over 1 MiB with a JSON error and stores nothing', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api/applications', { raw: { body: JSON.stringify({ name: 'x'.repeat(2_000_000), redirect_uri: 'http://127.0.0.1' }), type: 'application/json' } });
      assert.equal(res.status, 413);
      assert.equal(res.body.success, false);
      const rows = await s().ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).execute();
      assert.equal(rows.length, 0);
    });
  });
  describe('400', () => {
    it('answers malformed JSON, a JSON array, wrong types and junk multipart with 400', async () => {
      const { client } = await s().signUp();
      for (const raw of [
        { body: '{"name": "x", ', type: 'application/json' },
        { body: '[1,2,3]', type: 'application/json' },
        { body: '"just a string"', type: 'application/json' },
        { body: '--x\r\nnot multipart', type: 'multipart/form-data; boundary=x' },
      ]) {
        const res = await client.post('/api/applications', { raw });
        assert.ok(res.status === 400 || res.status === 415, `${raw.body}: ${res.status}`);
        assert.equal(res.body.success, false);
        assert.equal(typeof res.body.message, 'string');
      }
      const { application } = await createApp(client);
      const nested = await client.patch(`/api/applications/${encodeURIComponent(application.id)}`, { json: { name: { $ne: 1 } } });
      assert.equal(nested.status, 400);
      const lifetime = await client.patch(`/api/applications/${encodeURIComponent(application.id)}`, { json: { access_token_lifetime: -5 } });
      assert.equal(lifetime.status, 400);
    });
    it('answers a token in a malformed Authorization header as invalid (401), not 500', async () => {
      for (const header of ['Bearer', 'Basic abc', 'Bearer a b c', 'Bearer ' + 'x'.repeat(10_000)]) {
        const res = await s().client().get('/v2/user', { headers: { authorization: header } });
        assert.equal(res.status, 401, header.slice(0, 20));
      }
    });
  });
});
