// What `npm start` runs: scripts/start.mjs loads the bundled server (dist/tessera.mjs, built by
// scripts/test.mjs before any file starts). The rest of the suite runs src/ through tsx, so this file
// is what proves the bundle: its static files, Swagger UI's assets, migrations and the workers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { TEST_SECRET } from '../support/harness.js';
import { keyedMigrations, migrations } from '../../src/db/migrations/index.js';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startBundle(env: Record<string, string>): Promise<{ base: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, TESSERA_SECRET: TEST_SECRET, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  return { base, child, stderr: () => err };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('npm start (the bundled server)', () => {
  it('serves the API, the dashboard with its static files and the API reference, on a database it migrated', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
    const { base, child, stderr } = await startBundle({ TESSERA_DATA_DIR: dataDir });

    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, database: 'reachable', pending_migrations: [] });

    const login = await fetch(`${base}/login`);
    assert.equal(login.status, 200);
    const html = await login.text();
    const css = /href="(\/static\/[^"]+\.css)"/.exec(html)?.[1];
    assert.ok(css, 'the login page links its stylesheet');
    const sheet = await fetch(`${base}${css}`);
    assert.equal(sheet.status, 200);
    assert.match(sheet.headers.get('content-type') ?? '', /^text\/css/);
    assert.ok((await sheet.text()).length > 100);

    const reference = await fetch(`${base}/docs/static/swagger-ui-bundle.js`);
    assert.equal(reference.status, 200);
    assert.ok((await reference.arrayBuffer()).byteLength > 100_000);
    const unauthenticated = await fetch(`${base}/v2/user`);
    assert.equal(unauthenticated.status, 401);

    assert.equal(await stop(child), 0, stderr());
    const db = new SQLite(path.join(dataDir, 'tessera.db'), { readonly: true });
    try {
      const applied = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      assert.deepEqual(applied.map((r) => r.name), [...Object.keys(migrations), ...Object.keys(keyedMigrations)].sort());
    } finally {
      db.close();
    }
  });

  it('runs two workers from the bundle and stops both on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
    const { base, child, stderr } = await startBundle({ TESSERA_DATA_DIR: dataDir, TESSERA_WORKERS: '2' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/healthz`).then((r) => r.status)));
    assert.deepEqual(answers, Array(20).fill(200));
    assert.equal(await stop(child), 0, stderr());
  });

  it('the tessera CLI runs from its bundle', () => {
    const r = spawnSync(process.execPath, ['bin/tessera.mjs', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: tessera <command>/);
  });
});
