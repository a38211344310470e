import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Dialect } from '../../../src/config.js';
import { loadConfig } from '../../../src/config.js';
import type { AppContext } from '../../../src/context.js';
import { createContext } from '../../../src/bootstrap.js';
import { buildServer } from '../../../src/server.js';
import { Client, SECRET_LOG } from '../../support/client.js';
import { seedSeller } from '../../support/seed.js';
import { CHEAP_PASSWORDS, DIALECTS, TEST_SECRET, createTestDatabase, uniqueEmail } from '../../support/harness.js';

/**
 * A test server for flows: like the shared harness's, plus Tessera settings (`env`, e.g.
 * TESSERA_ALLOW_PRIVATE_TARGETS for local HTTP targets), settings known only when the tests run
 * (`processEnv`, e.g. TESSERA_WORKER=0 or an SMTP listener's port), and `restart()` on the same database.
 */
export interface FlowServer {
  dialect: Dialect;
  url: string;
  /** DATABASE_URL, TESSERA_DATA_DIR and TESSERA_SECRET of this server, for CLI processes. */
  databaseEnv: Record<string, string>;
  ctx: AppContext;
  app: FastifyInstance;
  logs(): string;
  client(): Client;
  signUp(email?: string, password?: string): Promise<{ client: Client; user: { id: string; email: string }; password: string }>;
  /** Closes this server and starts a new one on the same database (other flow settings allowed). */
  restart(processEnv?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface FlowServerOptions {
  env?: Record<string, string>;
  /** A function when a value is known only once the tests run (a listener's port). */
  processEnv?: Record<string, string> | (() => Record<string, string>);
}

export async function startFlowServer(dialect: Dialect, options: FlowServerOptions = {}): Promise<FlowServer> {
  const secretsFrom = SECRET_LOG.mark();
  const database = await createTestDatabase(dialect);
  const lines: string[] = [];
  const baseEnv = { ...CHEAP_PASSWORDS, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...database.env, ...options.env };

  async function boot(processEnv: Record<string, string>) {
    const ctx = await createContext(loadConfig({ ...baseEnv, ...processEnv }));
    const app = await buildServer(ctx, { logStream: { write: (line: string) => void lines.push(line) } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return { ctx, app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  }

  const processEnv = options.processEnv ?? {};
  let current = await boot(typeof processEnv === 'function' ? processEnv() : processEnv);
  const server: FlowServer = {
    dialect,
    databaseEnv: { ...database.env, TESSERA_DATA_DIR: database.dataDir, TESSERA_SECRET: TEST_SECRET },
    get url() {
      return current.url;
    },
    get ctx() {
      return current.ctx;
    },
    get app() {
      return current.app;
    },
    logs: () => lines.join(''),
    client: () => new Client(current.url),
    async signUp(email = uniqueEmail(), password = 'correct horse battery') {
      return seedSeller(current.ctx, current.url, email, password);
    },
    async restart(processEnv = {}) {
      await current.app.close();
      await current.ctx.close();
      current = await boot(processEnv);
    },
    async close() {
      await current.app.close();
      await current.ctx.close();
      const logs = lines.join('');
      for (const secret of SECRET_LOG.since(secretsFrom)) assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 12)}…`);
      await database.drop();
    },
  };
  return server;
}

/** describeEachDialect with flow server options. */
export function describeEachDialectWith(title: string, options: FlowServerOptions, body: (s: () => FlowServer) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let server: FlowServer | undefined;
      before(async () => {
        server = await startFlowServer(dialect, options);
      });
      after(async () => {
        await server?.close();
      });
      body(() => server!);
    });
  }
}
