import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describeEachDialect, TEST_SECRET } from '../support/harness.js';
import { backupDatabase } from '../../src/ops/backup.js';
import { migrations } from '../../src/db/migrations/index.js';

describeEachDialect('GET /healthz and GET /readyz', (s) => {
  describe('200', () => {
    it('/healthz answers while the process is up', async () => {
      const res = await s().client().get('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true });
    });
    it('/readyz answers ready with every migration applied', async () => {
      const res = await s().client().get('/readyz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ready: true, database: 'reachable', pending_migrations: [] });
    });
  });
  describe('503', () => {
    it('/readyz names a migration the database has not applied, and recovers when it is back', async () => {
      const last = Object.keys(migrations).at(-1)!;
      const { db } = s().ctx;
      const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration where name = ${last}`.execute(db);
      assert.equal(row.rows.length, 1);
      await sql`delete from kysely_migration where name = ${last}`.execute(db);
      try {
        const res = await s().client().get('/readyz');
        assert.equal(res.status, 503);
        assert.deepEqual(res.body, { ready: false, database: 'reachable', pending_migrations: [last] });
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${last}, ${row.rows[0]!.timestamp})`.execute(db);
      }
      assert.equal((await s().client().get('/readyz')).status, 200);
    });
  });
});

describeEachDialect('tessera backup', (s) => {
  it('SQLite: copies the live database to a new file that opens with every row; PostgreSQL: prints pg_dump without the password', async () => {
    const server = s();
    const { user } = await server.signUp();
    if (server.dialect === 'sqlite') {
      const file = path.join(server.dataDir, 'backups', 'copy.db');
      const result = await backupDatabase(server.ctx, file);
      assert.equal(result.dialect, 'sqlite');
      assert.ok(result.dialect === 'sqlite' && result.bytes > 0 && result.file === file);
      const copy = new SQLite(file, { readonly: true });
      try {
        const found = copy.prepare('select email from users where id = ?').get(user.id) as { email: string } | undefined;
        assert.equal(found?.email, user.email);
      } finally {
        copy.close();
      }
      await assert.rejects(backupDatabase(server.ctx, file), /already exists/);
      await assert.rejects(backupDatabase(server.ctx, undefined), /--to FILE is required/);
      assert.equal(fs.statSync(file).size, result.bytes, 'a refused backup leaves the earlier copy alone');
    } else {
      const result = await backupDatabase(server.ctx, 'out.dump');
      assert.equal(result.dialect, 'postgres');
      const command = result.dialect === 'postgres' ? result.command : '';
      // The URL is shell-quoted when it needs it (a socket directory in ?host=…).
      assert.match(command, /pg_dump --format=custom --file=out\.dump '?postgres:\/\/postgres@/);
      assert.ok(!command.includes('postgres:postgres@'), 'the password stays out of the printed command');
      assert.ok(!command.includes(TEST_SECRET));
    }
  });
});
