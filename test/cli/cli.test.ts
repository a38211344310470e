import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DIALECTS, TEST_SECRET, createTestDatabase, startServer, uniqueEmail, type TestServer } from '../support/harness.js';
import { SECRET_LOG } from '../support/client.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tessera.mjs');

for (const dialect of DIALECTS) {
  describe(`tessera CLI end to end [${dialect}]`, () => {
    let env: Record<string, string>;
    let server: TestServer;
    let drop: () => Promise<void>;

    async function cli(...args: string[]) {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
      return { stdout, stderr };
    }
    async function cliJson(...args: string[]) {
      const { stdout } = await cli(...args, '--json');
      const lines = stdout.trim().split('\n');
      assert.equal(lines.length, 1, `exactly one line of JSON, got: ${stdout}`);
      const parsed = JSON.parse(lines[0]!);
      for (const v of Object.values(parsed)) if (typeof v === 'string' && v.startsWith('tsr_')) SECRET_LOG.add(v);
      return parsed;
    }
    async function cliFails(...args: string[]) {
      try {
        await cli(...args);
      } catch (err) {
        return err as { code: number; stdout: string; stderr: string };
      }
      assert.fail('expected a non-zero exit');
    }

    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = database.drop;
      env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
      await cli('help'); // migrates the database before the server opens it
      server = await startServer(dialect, env);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    it('creates user → app → token; the token works as query, body and Bearer; regenerate and delete kill it', async () => {
      const email = uniqueEmail('cli');
      const user = await cliJson('user', 'create', '--email', email, '--password', 'cli password');
      assert.deepEqual(Object.keys(user).sort(), ['email', 'id']);
      assert.equal(user.email, email);

      const app = await cliJson('app', 'create', '--email', email, '--name', 'CLI app', '--redirect-uri', 'http://127.0.0.1');
      assert.deepEqual(Object.keys(app).sort(), ['client_id', 'client_secret', 'id']);
      assert.match(app.client_secret, /^tsr_cs_/);

      const first = await cliJson('app', 'token', '--app', app.id);
      assert.match(first.access_token, /^tsr_at_/);
      assert.deepEqual(first.scopes, ['view_profile', 'edit_products', 'view_sales', 'mark_sales_as_shipped', 'refund_sales', 'edit_sales']);
      const c = server.client();
      assert.equal((await c.get('/v2/user', { query: { access_token: first.access_token } })).status, 200);
      assert.equal((await c.request('GET', '/v2/user', { form: { access_token: first.access_token } })).status, 200);
      const bearer = await c.get('/v2/user', { headers: { authorization: `Bearer ${first.access_token}` } });
      assert.equal(bearer.status, 200);
      assert.equal(bearer.body.user.email, email);

      const second = await cliJson('app', 'token', '--app', app.id, '--scopes', 'view_sales', '--expires-in', '3600');
      assert.deepEqual(second.scopes, ['view_sales']);
      assert.equal((await c.get('/v2/user', { query: { access_token: first.access_token } })).status, 401);
      assert.equal((await c.get('/v2/user', { query: { access_token: second.access_token } })).status, 200);

      const deleted = await cliJson('app', 'delete', '--app', app.id);
      assert.deepEqual(deleted, { deleted: true, revoked_tokens: 1 });
      assert.equal((await c.get('/v2/user', { query: { access_token: second.access_token } })).status, 401);

      const audit = await cliJson('audit', '--email', email);
      const actions = audit.events.map((e: { action: string }) => e.action);
      assert.deepEqual(actions.slice(0, 4), ['application.deleted', 'token.generated', 'token.generated', 'application.created']);
      assert.ok(audit.events.every((e: { actor: { type: string } }) => ['cli', 'user'].includes(e.actor.type)));
      assert.ok(!JSON.stringify(audit).includes(first.access_token));
    });

    it('prints human output without --json', async () => {
      const email = uniqueEmail('cli');
      const { stdout } = await cli('user', 'create', '--email', email, '--password', 'cli password');
      assert.match(stdout, new RegExp(`Created user ${email.replace(/[.+]/g, '\\$&')}`));
    });

    it('fails with one clear line on stderr and a non-zero exit', async () => {
      const unknownApp = await cliFails('app', 'token', '--app', 'nope', '--json');
      assert.equal(unknownApp.code, 1);
      assert.equal(unknownApp.stdout, '');
      assert.equal(unknownApp.stderr.trim(), "tessera: Application not found or you don't have the permissions to modify it.");
      // Ids are URL-safe base64 and may start with "-": still read as the option's value.
      const dashId = await cliFails('app', 'token', '--app', '-Ezx0', '--json');
      assert.equal(dashId.stderr.trim(), "tessera: Application not found or you don't have the permissions to modify it.");
      const missing = await cliFails('app', 'create', '--email', 'x@y.z');
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--name is required/);
      const unknownCommand = await cliFails('frobnicate');
      assert.equal(unknownCommand.code, 2);
      const badScope = await cliFails('user', 'create', '--email', uniqueEmail(), '--password', 'short');
      assert.equal(badScope.code, 1);
      assert.equal(badScope.stderr.trim().split('\n').length, 1);
    });
  });
}
