import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('secrets at rest and in logs [sqlite]', () => {
  it('no token, client secret, session or password plaintext exists anywhere in the data folder or the logs', async () => {
    const server = await startServer('sqlite');
    try {
      const { token, client, password, application } = await sellerWithToken(server);
      const secret = (await client.post(`/api/applications/${encodeURIComponent(application.id)}/secret`)).body.client_secret as string;
      const session = client.cookie!.split('=')[1]!;
      // Secrets in every place a client may put them, so the logs see them all.
      await server.client().get(`/v2/user?access_token=${token}&client_secret=${secret}`);
      await server.client().get('/v2/user', { headers: { authorization: `Bearer ${token}` } });
      await server.client().post('/api/session', { json: { email: 'nobody@example.com', password } });
      await server.ctx.usage.flush();
      await server.ctx.db.selectFrom('users').select('id').execute(); // WAL checkpoint is not needed: we read every file
      const secrets = [token, secret, session, password];
      for (const file of filesUnder(server.dataDir)) {
        const bytes = fs.readFileSync(file);
        for (const s of secrets) assert.equal(bytes.includes(Buffer.from(s)), false, `${path.basename(file)} holds a secret`);
      }
      const logs = server.logs();
      assert.ok(logs.length > 0);
      for (const s of secrets) assert.ok(!logs.includes(s), 'a secret reached the logs');
      assert.ok(logs.includes('access_token=[REDACTED]'));
    } finally {
      await server.close();
    }
  });
});
