import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, createTestDatabase, startServer } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

for (const dialect of DIALECTS) {
  describe(`two server processes sharing one database [${dialect}]`, () => {
    it('a token regenerated or revoked through one server is refused by the other on the very next request', async () => {
      const database = await createTestDatabase(dialect);
      const a = await startServer(dialect, database.env);
      const b = await startServer(dialect, database.env);
      try {
        const { client } = await a.signUp();
        const { application } = await createApp(client);
        const first = await generateToken(client, application.id);
        assert.equal((await b.client().get('/v2/user', { query: { access_token: first } })).status, 200);
        const second = await generateToken(client, application.id);
        const stale = await b.client().get('/v2/user', { query: { access_token: first } });
        assert.equal(stale.status, 401);
        assert.equal(stale.body.message, 'The access token was revoked');
        assert.equal((await b.client().get('/v2/user', { query: { access_token: second } })).status, 200);
        await client.delete(`/api/applications/${encodeURIComponent(application.id)}`);
        assert.equal((await b.client().get('/v2/user', { query: { access_token: second } })).status, 401);
      } finally {
        await a.close();
        await b.close();
        await database.drop();
      }
    });
  });
}
