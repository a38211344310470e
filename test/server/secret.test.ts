import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { loadServerSecret } from '../../src/credentials/server-secret.js';

describe('server secret', () => {
  it('is generated once into data/secret with mode 0600 and reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-secret-'));
    const config = loadConfig({ TESSERA_DATA_DIR: dir });
    const first = loadServerSecret(config);
    const stat = fs.statSync(path.join(dir, 'secret'));
    assert.equal(stat.mode & 0o777, 0o600);
    assert.equal(loadServerSecret(config), first);
    assert.ok(first.length >= 32);
    fs.rmSync(dir, { recursive: true });
  });
  it('prefers TESSERA_SECRET and refuses a short one', () => {
    assert.equal(loadServerSecret(loadConfig({ TESSERA_SECRET: 'x'.repeat(40), TESSERA_DATA_DIR: '/nonexistent' })), 'x'.repeat(40));
    assert.throws(() => loadServerSecret(loadConfig({ TESSERA_SECRET: 'short' })), /at least 32/);
  });
  it('is required with PostgreSQL, with a clear message', () => {
    assert.throws(() => loadServerSecret(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' })), /TESSERA_SECRET is required with PostgreSQL/);
  });
});

describe('configuration', () => {
  it('defaults to 127.0.0.1:3000 and a SQLite file under ./data', () => {
    const c = loadConfig({});
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 3000);
    assert.equal(c.dialect, 'sqlite');
    assert.equal(c.databaseUrl, path.resolve('data/tessera.db'));
  });
  it('reads PORT, HOST and DATABASE_URL (postgres:// or file:)', () => {
    const pg = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgresql://u:p@db/x' });
    assert.equal(pg.port, 8080);
    assert.equal(pg.host, '0.0.0.0');
    assert.equal(pg.dialect, 'postgres');
    assert.equal(loadConfig({ DATABASE_URL: 'file:/tmp/other.db' }).databaseUrl, '/tmp/other.db');
  });
  it('reads the license cache size and the deep-page limit, and refuses values that are not whole numbers', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.licenseCacheSize, 50_000);
    assert.deepEqual(defaults.salesDeepPageLimit, { perIp: 10, windowSeconds: 1 });
    const set = loadConfig({ TESSERA_LICENSE_CACHE_SIZE: '0', TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP: '3', TESSERA_SALES_DEEP_PAGE_LIMIT_WINDOW: '5' });
    assert.equal(set.licenseCacheSize, 0);
    assert.deepEqual(set.salesDeepPageLimit, { perIp: 3, windowSeconds: 5 });
    assert.throws(() => loadConfig({ TESSERA_LICENSE_CACHE_SIZE: '-1' }), /TESSERA_LICENSE_CACHE_SIZE/);
    assert.throws(() => loadConfig({ TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP: 'ten' }), /TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP/);
  });
  it('refuses a bad PORT or an unknown DATABASE_URL scheme', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  });
});
