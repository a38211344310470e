import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

describeEachDialect('DELETE /api/applications/:id', (s) => {
  describe('200', () => {
    it('deletes the application, revokes every token and says how many', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      const token = await generateToken(client, application.id);
      const res = await client.delete(`/api/applications/${encodeURIComponent(application.id)}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true, deleted: true, revoked_tokens: 1 });
      const after = await s().client().get('/v2/user', { query: { access_token: token } });
      assert.equal(after.status, 401);
      assert.equal(after.body.message, 'The access token was revoked');
      assert.equal((await client.get(`/api/applications/${encodeURIComponent(application.id)}`)).status, 404);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('target_id', '=', application.id).where('action', '=', 'application.deleted').executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.metadata!).revoked_tokens, 1);
    });
  });
  describe('404', () => {
    it("refuses another seller's application and leaves its tokens alive", async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      const { application } = await createApp(b.client);
      const token = await generateToken(b.client, application.id);
      const res = await a.client.delete(`/api/applications/${encodeURIComponent(application.id)}`);
      assert.equal(res.status, 404);
      assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 200);
    });
    it('answers 404 the second time', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client);
      assert.equal((await client.delete(`/api/applications/${encodeURIComponent(application.id)}`)).status, 200);
      assert.equal((await client.delete(`/api/applications/${encodeURIComponent(application.id)}`)).status, 404);
    });
  });
});
