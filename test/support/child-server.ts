import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/** A free loopback port (for a server in another process, which must be told its port). */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A Tessera server in a child process (`node --import tsx src/main.ts`, as `npm start` runs it),
 * killable with SIGKILL. Ready once GET /readyz answers 200 (database reachable, schema current).
 */
export class ChildServer {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    private readonly output: string[],
    /** The PostgreSQL database it uses, if any, and the application_name its connections carry. */
    private readonly postgres: { url: string; appName: string } | null,
  ) {}

  static async start(env: Record<string, string>): Promise<ChildServer> {
    const port = await freePort();
    const output: string[] = [];
    const database = env.DATABASE_URL ?? '';
    const postgres = /^postgres(ql)?:/.test(database) ? { url: database, appName: `tessera-child-${process.pid}-${port}` } : null;
    // The bundled server npm start runs (scripts/test.mjs builds it before any file starts): it
    // starts in a fraction of tsx's time, which tests that restart a server ten times pay for.
    const child = spawn(process.execPath, ['dist/tessera.mjs'], {
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', TESSERA_WORKER: '0', ...env, ...(postgres ? { PGAPPNAME: postgres.appName } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const server = new ChildServer(child, `http://127.0.0.1:${port}`, output, postgres);
    await server.ready();
    return server;
  }

  /** What the process wrote to stdout and stderr so far. */
  logs(): string {
    return this.output.join('');
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited: ${this.logs()}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`server did not start: ${this.logs()}`);
  }

  /**
   * kill -9: no shutdown hook runs. On PostgreSQL it returns once every backend of the dead process
   * has ended too: a COMMIT the process sent just before dying is still carried out by its backend,
   * and a check made before that would read the database as it was a moment too early.
   */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
    if (this.postgres) await backendsEnded(this.postgres);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Polls pg_stat_activity until no connection named `appName` is left (each ends once it reads the closed socket). */
async function backendsEnded({ url, appName }: { url: string; appName: string }): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [appName]);
      if (rows[0].n === 0) return;
      if (Date.now() > deadline) throw new Error(`${rows[0].n} PostgreSQL backends of a killed server are still running after 30 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await client.end();
  }
}
