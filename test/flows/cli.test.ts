import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SECRET_LOG } from '../support/client.js';
import { DIALECTS, uniqueEmail } from '../support/harness.js';
import { EMAIL_FLOW, waitForRun } from './support/fixtures.js';
import { startFlowServer, type FlowServer } from './support/server.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tessera.mjs');

for (const dialect of DIALECTS) {
  describe(`tessera team / apikey / flow / worker [${dialect}]`, () => {
    let server: FlowServer;
    const cli = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, ...server.databaseEnv } });
      const parsed = JSON.parse(stdout.trim());
      if (typeof parsed.api_key === 'string') SECRET_LOG.add(parsed.api_key);
      return parsed;
    };

    before(async () => {
      server = await startFlowServer(dialect, { processEnv: { TESSERA_WORKER: '0' } });
    });
    after(async () => server.close());

    it('creates a team, a member, a team key and a flow; a worker started alone runs the queued flow', async () => {
      const owner = uniqueEmail('owner');
      const member = uniqueEmail('member');
      await cli('user', 'create', '--email', owner, '--password', 'password one');
      await cli('user', 'create', '--email', member, '--password', 'password two');
      const team = await cli('team', 'create', '--email', owner, '--name', 'Ops');
      const invited = await cli('team', 'add-member', '--email', owner, '--team', team.id, '--member', member, '--role', 'member');
      assert.equal(invited.role, 'member');
      assert.equal(invited.status, 'pending');
      const added = await cli('team', 'accept', '--email', member, '--invitation', invited.id);
      assert.equal(added.role, 'member');
      const key = await cli('apikey', 'create', '--email', owner, '--team', team.id, '--name', 'ci', '--scopes', 'flows:run');
      assert.match(key.api_key, /^tsr_tk_/);
      const listed = await cli('apikey', 'list', '--email', owner, '--team', team.id);
      assert.deepEqual(listed.keys.map((k: { id: string }) => k.id), [key.key.id]);
      const regenerated = await cli('apikey', 'regenerate', '--email', owner, '--key', key.key.id, '--grace', '60');
      assert.ok(regenerated.key.previous_valid_until);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-flow-')), 'flow.json');
      fs.writeFileSync(file, JSON.stringify(EMAIL_FLOW));
      const flow = await cli('flow', 'create', '--email', owner, '--team', team.id, file);
      assert.equal(flow.name, 'Notify');
      assert.deepEqual((await cli('flow', 'list', '--email', member, '--team', team.id)).flows.map((f: { id: string }) => f.id), [flow.id]);
      const limits = await cli('flow', 'limits', '--email', owner, '--team', team.id, '--concurrent', '2');
      assert.equal(limits.maxConcurrent, 2);

      const started = await server.client().post('/api/v1/start_pipeline', {
        json: { user_id: added.api_user_id, project_id: team.id, saved_item_id: flow.id, to: 'cli@example.com' },
        headers: { authorization: `Bearer ${regenerated.api_key}` },
      });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const auth = { key: regenerated.api_key, userId: added.api_user_id };
      assert.equal((await waitForRun(server.client(), auth, started.body.run_id, ['STARTED'])).state, 'STARTED', 'no worker in the server');
      const worker = spawn(process.execPath, [BIN, 'worker', '--concurrency', '2'], { env: { ...process.env, ...server.databaseEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
      try {
        assert.equal((await waitForRun(server.client(), auth, started.body.run_id)).state, 'DONE');
      } finally {
        worker.kill('SIGTERM');
      }
      assert.equal(await new Promise((resolve) => worker.once('exit', resolve)), 0, 'stops cleanly on SIGTERM');

      assert.deepEqual(await cli('apikey', 'revoke', '--email', owner, '--key', key.key.id), { revoked: true });
      const after = await server.client().get('/api/v1/list_saved_items', { query: { user_id: added.api_user_id }, headers: { authorization: `Bearer ${regenerated.api_key}` } });
      assert.equal(after.status, 401);
    });

    it('refuses a malformed flow file with the schema sentence', async () => {
      const owner = uniqueEmail('owner');
      await cli('user', 'create', '--email', owner, '--password', 'password one');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-flow-')), 'flow.json');
      fs.writeFileSync(file, JSON.stringify({ name: 'x', steps: [{ id: 'a', type: 'nope' }] }));
      await assert.rejects(run(process.execPath, [BIN, 'flow', 'create', '--email', owner, file], { env: { ...process.env, ...server.databaseEnv } }), (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr, /unknown step type "nope"/);
        return true;
      });
    });
  });
}
