import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCheckpointer } from '../../src/db/sqlite-checkpointer.js';

/** Polls a condition the worker thread brings about (it has no clock of ours to advance). */
async function eventually(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !test(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(test(), what);
}

describe('SQLite checkpointer (a worker thread, started once a few hundred rows were written)', () => {
  const open = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-checkpoint-'));
    const file = path.join(dir, 'test.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // only the checkpointer moves pages into the file
    db.exec('CREATE TABLE blobs (b BLOB)');
    return { dir, file, db, fileSize: () => fs.statSync(file).size };
  };

  it('after 300 rows written, copies the WAL into the database file; then stops', async () => {
    const { dir, file, db, fileSize } = open();
    const changes = db.prepare('SELECT total_changes()').pluck();
    const stop = startCheckpointer(file, () => Number(changes.get()), 10);
    const insert = db.prepare('INSERT INTO blobs VALUES (?)');
    for (let i = 0; i < 300; i++) insert.run(Buffer.alloc(8 * 1024, i));
    assert.ok(fileSize() < 64 * 1024, 'before: the pages are in the WAL only');
    await eventually(() => fileSize() >= 2 * 1024 * 1024, 'the pages were checkpointed into the file');
    await stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops at once when little was written (no worker to wait for)', async () => {
    const { dir, file, db, fileSize } = open();
    const changes = db.prepare('SELECT total_changes()').pluck();
    const stop = startCheckpointer(file, () => Number(changes.get()), 10);
    db.prepare('INSERT INTO blobs VALUES (?)').run(Buffer.alloc(1024));
    await stop();
    assert.ok(fileSize() < 16 * 1024, 'nothing was checkpointed');
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
