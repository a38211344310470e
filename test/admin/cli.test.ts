import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DIALECTS, TEST_SECRET, createTestDatabase, startServer, uniqueEmail, type TestServer } from '../support/harness.js';
import { SECRET_LOG } from '../support/client.js';
import { accountRow, tokenOf } from './support.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tessera.mjs');

for (const dialect of DIALECTS) {
  describe(`tessera admin … [${dialect}]`, () => {
    let env: Record<string, string>;
    let server: TestServer;
    let drop: () => Promise<void>;

    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    async function cliJson(...args: string[]) {
      const { stdout } = await cli(...args, '--json');
      return JSON.parse(stdout.trim()) as Record<string, any>;
    }
    async function cliFails(...args: string[]) {
      try {
        await cli(...args);
      } catch (err) {
        return err as { code: number; stderr: string };
      }
      assert.fail('expected a non-zero exit');
    }
    const idOf = async (email: string) => (await server.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

    let ownerEmail: string;
    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = database.drop;
      env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
      ownerEmail = uniqueEmail('cliowner');
      // The operator's first account, made at the shell, is the instance owner.
      await cli('user', 'create', '--email', ownerEmail, '--password', 'correct horse battery');
      server = await startServer(dialect, env);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    it('user create: the first account is the owner; admin invite prints a single-use link that signs up', async () => {
      assert.equal((await accountRow(server, await idOf(ownerEmail)))?.is_owner, 1);
      const email = uniqueEmail('cliinvited');
      const sent = await cliJson('admin', 'invite', email);
      assert.equal(sent.invitation.email, email);
      assert.equal(sent.mailed, false);
      SECRET_LOG.add(sent.link);
      const human = await cli('admin', 'invite', uniqueEmail('clihuman'));
      assert.match(human.stdout, /^Invited \S+ \(expires [^)]+\); SMTP is not configured[^\n]*\nLink \(works once\): http:\/\/\S+\/signup\?invitation=tsr_iv_/);
      SECRET_LOG.add(/Link \(works once\): (\S+)/.exec(human.stdout)![1]!);
      const res = await server.client().post('/api/users', { json: { email, password: 'correct horse battery', invitation: tokenOf(sent.link) } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    it('admin grant and revoke: ownership moves; the last owner keeps it (exit 1, says why)', async () => {
      const seller = await server.signUp();
      const granted = await cli('admin', 'grant', seller.user.email);
      assert.equal(granted.stdout.trim(), `${seller.user.email} is an instance owner`);
      assert.equal((await accountRow(server, seller.user.id))?.is_owner, 1);
      assert.equal((await cliJson('admin', 'revoke', seller.user.email)).owner, false);
      assert.equal((await accountRow(server, seller.user.id))?.is_owner, 0);
      const last = await cliFails('admin', 'revoke', ownerEmail);
      assert.equal(last.code, 1);
      assert.match(last.stderr, /at least one owner/);
      assert.equal((await accountRow(server, await idOf(ownerEmail)))?.is_owner, 1);
      const unknown = await cliFails('admin', 'grant', 'nobody@example.com');
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No account with the email nobody@example.com/);
      const usage = await cliFails('admin', 'grant');
      assert.equal(usage.code, 2);
    });

    it('admin set: stores overrides and prints what applies; a bad value changes nothing (exit 1), a bad pair is a usage error (exit 2)', async () => {
      const seller = await server.signUp();
      const set = await cli('admin', 'set', seller.user.email, 'api_keys=no', 'max_flows=2', 'max_api_keys=unlimited');
      assert.match(set.stdout, new RegExp(`^${seller.user.email}: api_keys=no, flows=yes \\(default\\), email_step=yes \\(default\\), http_step=yes \\(default\\), max_flows=2, max_runs_per_day=unlimited \\(default\\), max_api_keys=unlimited`));
      const row = await server.ctx.db.selectFrom('account_capabilities').selectAll().where('user_id', '=', seller.user.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.api_keys, row.max_flows, row.max_api_keys], [0, 2, -1]);
      const refused = await seller.client.post('/api/api-keys', { json: { name: 'k' } });
      assert.equal(refused.status, 403);
      const bad = await cliFails('admin', 'set', seller.user.email, 'flows=perhaps');
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /flows takes yes, no or default/);
      assert.equal((await cliFails('admin', 'set', seller.user.email, 'flows')).code, 2);
      assert.equal((await cliJson('admin', 'set', seller.user.email, 'api_keys=default')).effective.api_keys, true);
    });

    it('admin disable (--stop-licenses) and enable; admin accounts lists them', async () => {
      const seller = await server.signUp();
      const disabled = await cli('admin', 'disable', seller.user.email, '--stop-licenses');
      assert.equal(disabled.stdout.trim(), `Disabled ${seller.user.email} and its licenses`);
      const row = await accountRow(server, seller.user.id);
      assert.ok(row?.disabled_at && row.licenses_stopped_at);
      assert.equal((await seller.client.get('/api/session')).status, 401);
      const listed = await cliJson('admin', 'accounts', '--search', seller.user.email);
      assert.deepEqual(listed.accounts.map((a: { email: string; disabled: boolean }) => [a.email, a.disabled]), [[seller.user.email, true]]);
      assert.equal((await cli('admin', 'enable', seller.user.email)).stdout.trim(), `Enabled ${seller.user.email}`);
      assert.equal((await seller.client.get('/api/session')).status, 200);
      const owner = await cliFails('admin', 'disable', ownerEmail);
      assert.equal(owner.code, 1);
      assert.match(owner.stderr, /owner cannot be disabled/);
    });
  });
}
