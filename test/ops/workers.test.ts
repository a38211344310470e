import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { CLI_ACTOR } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { settleUses } from '../../src/licenses/verify/use-log-store.js';
import { TEST_SECRET } from '../support/harness.js';
import { freePort } from '../support/child-server.js';

/** `npm start`'s entry with TESSERA_WORKERS=2, as a child process; follows the primary's log. */
class Cluster {
  child!: ChildProcess;
  log = '';
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  constructor(readonly env: Record<string, string>) {}
  start(): void {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
      this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
    });
  }
  /** Pids of workers that said they listen, in order. */
  listening(): number[] {
    return [...this.log.matchAll(/worker (\d+) listening/g)].map((m) => Number(m[1]));
  }
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
}

describe('TESSERA_WORKERS=2 [sqlite]', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-workers-'));
  let env: Record<string, string>;
  let ctx: Awaited<ReturnType<typeof createContext>>;
  let cluster: Cluster;
  let base: string;
  let seller: { id: string };
  let appId: string;
  let productId: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      TESSERA_WORKERS: '2',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${path.join(dataDir, 'tessera.db')}`,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      TESSERA_WORKER: '0',
      // Small shared limits (issue 16.2): held by both workers together, not by each.
      TESSERA_LOGIN_LIMIT_PER_EMAIL: '4',
      TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '4',
      // The limit test sends X-Forwarded-For so that the address it takes over the limit (for the
      // rest of a 600 s window) is not the one every other test verifies from.
      TESSERA_TRUST_PROXY: 'loopback',
    };
    // The test seeds and reads through a context of its own: a third process on the same file.
    ctx = await createContext(loadConfig(env));
    seller = await createUser(ctx, { email: 'workers@example.com', password: 'correct horse battery' }, CLI_ACTOR);
    appId = (await createApplication(ctx, seller.id, { name: 'Two workers', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR)).application.id;
    productId = (await createProduct(ctx, seller.id, { name: 'Pro App', price: '1500', is_licensed: 'true' }, CLI_ACTOR)).id;
    cluster = new Cluster(env);
    cluster.start();
    await cluster.until(() => cluster.listening().length >= 2);
  });
  after(async () => {
    if (cluster.child.exitCode === null) {
      cluster.child.kill('SIGTERM');
      await cluster.exited();
    }
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const userStatus = async (token: string) => (await fetch(`${base}/v2/user`, { headers: { authorization: `Bearer ${token}` } })).status;
  const verify = async (key: string, increment = true) => {
    const res = await fetch(`${base}/v2/licenses/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ product_id: productId, license_key: key, increment_uses_count: String(increment) }),
    });
    return { status: res.status, body: (await res.json()) as { uses?: number } };
  };
  const storedUses = async (key: string) => {
    await settleUses(ctx.db);
    const hash = ctx.keys.hash(key);
    const row = await ctx.db.selectFrom('licenses').select('uses').where('key_hash', '=', hash).executeTakeFirst();
    return row?.uses;
  };

  it('two workers share the port and a regenerated token is refused by every one of them on the next request', async () => {
    assert.equal(new Set(cluster.listening()).size, 2);
    const first = await generateOwnerToken(ctx, seller.id, appId, {}, CLI_ACTOR);
    const before = await Promise.all(Array.from({ length: 12 }, () => userStatus(first.accessToken)));
    assert.deepEqual(before, Array(12).fill(200));
    const second = await generateOwnerToken(ctx, seller.id, appId, {}, CLI_ACTOR);
    const old = await Promise.all(Array.from({ length: 12 }, () => userStatus(first.accessToken)));
    assert.deepEqual(old, Array(12).fill(401), 'round-robin reaches both workers; neither accepts the old token');
    assert.deepEqual(await Promise.all(Array.from({ length: 12 }, () => userStatus(second.accessToken))), Array(12).fill(200));
  });

  it('2,000 verifications spread over both workers leave uses exact', async () => {
    const sale = await recordPurchase(ctx, seller.id, { product: productId, email: 'buyer@example.com' }, CLI_ACTOR);
    const key = String(sale.license_key);
    let ok = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        for (let i = 0; i < 50; i++) if ((await verify(key)).status === 200) ok++;
      }),
    );
    assert.equal(ok, 2000);
    const answer = await verify(key, false);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.uses, 2000);
    assert.equal(await storedUses(key), 2000);
  });

  /** The client address of the limit test's requests (documentation range, RFC 5737). */
  const LIMITED_ADDRESS = '203.0.113.9';
  /** One request on a connection of its own: the primary hands connections to the workers in turn. */
  const fresh = (method: string, path: string, body: Record<string, string>, type = 'application/json') =>
    new Promise<number>((resolve, reject) => {
      const text = type === 'application/json' ? JSON.stringify(body) : new URLSearchParams(body).toString();
      const headers = { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-forwarded-for': LIMITED_ADDRESS };
      const req = http.request(`${base}${path}`, { method, agent: false, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(text);
    });

  it('a limit of N failures holds at N across both workers: logins and verifications', async () => {
    const login = (password: string) => fresh('POST', '/api/session', { email: 'workers@example.com', password });
    // Four wrong passwords on four connections: both workers count them, into one number.
    for (let i = 0; i < 4; i++) assert.equal(await login('wrong password!'), 401);
    assert.deepEqual(await Promise.all(Array.from({ length: 6 }, () => login('correct horse battery'))), Array(6).fill(429), 'refused by both workers, the right password too');

    const sale = await recordPurchase(ctx, seller.id, { product: productId, email: 'limited@example.com' }, CLI_ACTOR);
    const verifyForm = (key: string) => fresh('POST', '/v2/licenses/verify', { product_id: productId, license_key: key, increment_uses_count: 'false' }, 'application/x-www-form-urlencoded');
    for (let i = 0; i < 4; i++) assert.equal(await verifyForm(`GUESS-${i}`), 404);
    // The next failure on each worker goes over the limit; from then on each refuses the right key too.
    assert.deepEqual(await Promise.all([verifyForm('GUESS-5'), verifyForm('GUESS-6')]), [429, 429]);
    assert.deepEqual(await Promise.all(Array.from({ length: 6 }, () => verifyForm(String(sale.license_key)))), Array(6).fill(429));
  });

  it('a worker killed with SIGKILL is replaced and the server keeps answering', async () => {
    const [victim] = cluster.listening();
    process.kill(victim!, 'SIGKILL');
    await cluster.until(() => cluster.listening().length >= 3);
    assert.match(cluster.log, new RegExp(`worker ${victim} exited \\(SIGKILL\\)`));
    const token = await generateOwnerToken(ctx, seller.id, appId, {}, CLI_ACTOR);
    assert.deepEqual(await Promise.all(Array.from({ length: 12 }, () => userStatus(token.accessToken))), Array(12).fill(200));
  });

  it('SIGTERM drains both workers: every answered verification is stored, and the primary exits 0', async () => {
    const sale = await recordPurchase(ctx, seller.id, { product: productId, email: 'drain@example.com' }, CLI_ACTOR);
    const key = String(sale.license_key);
    let answered = 0;
    let stop = false;
    let signalled = false;
    let refusedBeforeSignal: number | undefined;
    let warmed!: () => void;
    const warm = new Promise<void>((resolve) => (warmed = resolve));
    const load = Array.from({ length: 20 }, async () => {
      while (!stop) {
        try {
          const { status } = await verify(key);
          if (status === 200 && ++answered === 300) warmed();
          if (status !== 200 && !signalled) {
            refusedBeforeSignal = status; // fail now rather than wait for a warm-up that cannot come
            warmed();
            return;
          }
        } catch {
          return; // the server has closed: refused or reset before the request was read
        }
      }
    });
    await warm;
    assert.equal(refusedBeforeSignal, undefined, 'every verification before SIGTERM is answered 200');
    signalled = true;
    cluster.child.kill('SIGTERM');
    const code = await cluster.exited();
    stop = true;
    await Promise.all(load);
    assert.equal(code, 0);
    assert.match(cluster.log, /SIGTERM: draining 2 workers/);
    assert.ok(answered >= 300);
    assert.equal(await storedUses(key), answered);
  });
});
