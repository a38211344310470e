import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { Dialect } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createContext } from '../../src/bootstrap.js';
import { deriveServerKeys } from '../../src/credentials/server-keys.js';
import { openStorage } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildServer } from '../../src/server.js';
import { Client, SECRET_LOG } from './client.js';
import { seedSeller } from './seed.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/**
 * argon2id at its floor for test servers (scripts/test.mjs sets the same for every process it
 * starts): hashing stays real and verifiable, only cheaper than production's OWASP cost.
 */
export const CHEAP_PASSWORDS = {
  TESSERA_ARGON2_MEMORY_KIB: process.env.TESSERA_ARGON2_MEMORY_KIB ?? '8',
  TESSERA_ARGON2_TIME_COST: process.env.TESSERA_ARGON2_TIME_COST ?? '1',
  TESSERA_ARGON2_PARALLELISM: process.env.TESSERA_ARGON2_PARALLELISM ?? '1',
};

/** SQLite always; PostgreSQL when TEST_POSTGRES_URL names a server (CI always sets it). */
export const DIALECTS: Dialect[] = process.env.TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestServer {
  dialect: Dialect;
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  dataDir: string;
  /** Everything the server logged so far. */
  logs(): string;
  /** An anonymous HTTP client. */
  client(): Client;
  /** A fresh seller (seeded through the account services, test/support/seed.ts) and a client holding its session cookie. */
  signUp(email?: string, password?: string): Promise<{ client: Client; user: { id: string; email: string }; password: string }>;
  close(): Promise<void>;
}

let counter = 0;
export function uniqueEmail(prefix = 'seller'): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++counter}@example.com`;
}

/** Names the migration set: a template made from other migrations is never used. */
function migrationSetHash(): string {
  const hash = createHash('sha256');
  const dir = path.resolve('src/db/migrations');
  for (const f of fs.readdirSync(dir).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  hash.update(fs.readFileSync(path.resolve('src/db/migrate.ts')));
  return hash.digest('hex').slice(0, 16);
}

async function migrate(dialect: Dialect, url: string): Promise<void> {
  const storage = openStorage(dialect, url);
  try {
    await migrateToLatest(storage.db, deriveServerKeys(TEST_SECRET));
  } finally {
    await storage.close();
  }
}

/**
 * Every test server starts from a copy of one migrated database (per migration set, shared by all
 * the test files of a run): migrating a new PostgreSQL database takes a second or two, copying a
 * template a few hundred milliseconds. The server still runs its migrations at start: none pending.
 */
let templates: Partial<Record<Dialect, Promise<string>>> = {};

function sqliteTemplate(): Promise<string> {
  return (templates.sqlite ??= (async () => {
    const dir = path.join(os.tmpdir(), 'tessera-test-templates');
    const file = path.join(dir, `${migrationSetHash()}.db`);
    if (fs.existsSync(file)) return file;
    fs.mkdirSync(dir, { recursive: true });
    const building = `${file}.${process.pid}.building`;
    await migrate('sqlite', building);
    fs.renameSync(building, file); // atomic: a parallel file building the same template wins or loses whole
    return file;
  })());
}

function postgresTemplate(adminUrl: string): Promise<string> {
  return (templates.postgres ??= (async () => {
    const name = `tessera_tmpl_${migrationSetHash()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      // One builder across the test files running in parallel; the others wait, then find it.
      await admin.query(`select pg_advisory_lock(hashtext('tessera-test-template'))`);
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`drop database if exists ${building}`);
        await admin.query(`create database ${building}`);
        const url = new URL(adminUrl);
        url.pathname = `/${building}`;
        await migrate('postgres', url.toString());
        await admin.query(`alter database ${building} rename to ${name}`);
      }
      return name;
    } finally {
      await admin.query(`select pg_advisory_unlock(hashtext('tessera-test-template'))`).catch(() => undefined);
      await admin.end();
    }
  })().catch((err) => {
    templates = { ...templates, postgres: undefined };
    throw err;
  }));
}

/** A database of its own for one server: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<{ env: Record<string, string>; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-test-'));
  if (dialect === 'sqlite') {
    fs.copyFileSync(await sqliteTemplate(), path.join(dataDir, 'tessera.db'));
    return { env: { DATABASE_URL: `file:${path.join(dataDir, 'tessera.db')}` }, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  const template = await postgresTemplate(adminUrl);
  const name = `tessera_t_${process.pid}_${Date.now()}_${++counter}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // FILE_COPY copies the template's files (a few MB) instead of writing every block to the WAL: half the CPU.
  await admin.query(`create database ${name} template ${template} strategy file_copy`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    dataDir,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // Closed pools may still be saying goodbye: wait for them rather than kill them.
      for (let attempt = 0; ; attempt++) {
        try {
          await c.query(`drop database if exists ${name}${attempt >= 20 ? ' with (force)' : ''}`);
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startServer(dialect: Dialect, env: Record<string, string> = {}): Promise<TestServer> {
  const secretsFrom = SECRET_LOG.mark();
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    ...CHEAP_PASSWORDS,
    TESSERA_SECRET: TEST_SECRET,
    TESSERA_DATA_DIR: database.dataDir,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    ...database.env,
    ...env,
  });
  const ctx = await createContext(config);
  const lines: string[] = [];
  const app = await buildServer(ctx, { logStream: { write: (line: string) => void lines.push(line) } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // The server listens on a random port: links it hands out (OAuth metadata, trigger URLs) must
  // name the real one, as TESSERA_PUBLIC_URL does in production.
  if (!env.TESSERA_PUBLIC_URL) ctx.config.publicUrl = url;
  const server: TestServer = {
    dialect,
    url,
    ctx,
    app,
    dataDir: database.dataDir,
    logs: () => lines.join(''),
    client: () => new Client(url),
    async signUp(email = uniqueEmail(), password = 'correct horse battery') {
      return seedSeller(ctx, url, email, password);
    },
    async close() {
      await app.close();
      await ctx.close();
      // No secret any test saw in a response may appear in the server's logs.
      const logs = lines.join('');
      for (const secret of SECRET_LOG.since(secretsFrom)) assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 12)}…`);
      await database.drop();
    },
  };
  return server;
}

/**
 * Runs a describe block once per dialect, each against its own freshly started server (given
 * `env` settings, if any). `s()` returns that server inside the tests.
 */
export function describeEachDialect(title: string, body: (s: () => TestServer) => void, env: Record<string, string> = {}): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let server: TestServer | undefined;
      before(async () => {
        server = await startServer(dialect, env);
      });
      after(async () => {
        await server?.close();
      });
      body(() => server!);
    });
  }
}

/**
 * Two servers on one PostgreSQL database (skipped without TEST_POSTGRES_URL): what one node
 * changes, the other's next request must see. `nodes()` returns both inside the tests.
 */
export function describeTwoNodes(title: string, body: (nodes: () => { a: TestServer; b: TestServer }) => void, env: Record<string, string> = {}): void {
  (process.env.TEST_POSTGRES_URL ? describe : describe.skip)(title, () => {
    let a: TestServer | undefined;
    let b: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    before(async () => {
      const database = await createTestDatabase('postgres');
      drop = database.drop;
      a = await startServer('postgres', { ...database.env, ...env });
      b = await startServer('postgres', { ...database.env, ...env });
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await drop?.();
    });
    body(() => ({ a: a!, b: b! }));
  });
}
