import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DIALECTS, TEST_SECRET, createTestDatabase, startServer, type TestServer } from '../support/harness.js';
import { SECRET_LOG } from '../support/client.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tessera.mjs');

for (const dialect of DIALECTS) {
  describe(`tessera product create, purchase create and demo [${dialect}]`, () => {
    let env: Record<string, string>;
    let server: TestServer;
    let drop: () => Promise<void>;

    async function cliJson(...args: string[]) {
      const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, ...env } });
      const lines = stdout.trim().split('\n');
      assert.equal(lines.length, 1, `exactly one line of JSON, got: ${stdout}`);
      const parsed = JSON.parse(lines[0]!);
      const collect = (v: unknown): void => {
        if (typeof v === 'string' && (v.startsWith('tsr_') || /^[0-9A-F]{8}(-[0-9A-F]{8}){3}$/.test(v))) SECRET_LOG.add(v);
        else if (v && typeof v === 'object') Object.values(v).forEach(collect);
      };
      collect(parsed);
      return parsed;
    }

    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = database.drop;
      env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
      await run(process.execPath, [BIN, 'help'], { env: { ...process.env, ...env } });
      server = await startServer(dialect, env);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    it('demo prints a seller, an application, a working token and a license key that verifies', async () => {
      const demo = await cliJson('demo');
      assert.match(demo.seller.email, /^demo-[0-9a-f]{8}@example\.com$/);
      assert.equal(typeof demo.seller.password, 'string');
      const products = await server.client().get('/v2/products', { headers: { authorization: `Bearer ${demo.access_token}` } });
      assert.equal(products.status, 200);
      assert.deepEqual(products.body.products.map((p: { id: string }) => p.id), [demo.product.id]);
      const sale = await server.client().get(`/v2/sales/${encodeURIComponent(demo.sale_id)}`, { query: { access_token: demo.access_token } });
      assert.equal(sale.body.sale.license_key, demo.license_key);
      const verify = await server.client().post('/v2/licenses/verify', { form: { product_id: demo.product.id, license_key: demo.license_key } });
      assert.equal(verify.body.success, true);
      const login = await server.client().post('/api/session', { json: { email: demo.seller.email, password: demo.seller.password } });
      assert.ok(login.status === 200 || login.status === 201, `demo password logs in: ${login.status}`);
    });

    it('product create and purchase create print the ids; a licensed purchase prints its key', async () => {
      const seller = await server.signUp();
      const product = await cliJson('product', 'create', '--email', seller.user.email, '--name', 'CLI product', '--price', '990', '--permalink', 'cli-prod', '--licenses');
      assert.deepEqual(Object.keys(product).sort(), ['id', 'permalink', 'short_product_id']);
      assert.equal(product.permalink, 'cli-prod');
      assert.match(product.short_product_id, /^[a-z]{6}$/);
      const stored = await server.ctx.db.selectFrom('products').selectAll().where('external_id', '=', product.id).executeTakeFirstOrThrow();
      assert.equal(stored.seller_id, seller.user.id);
      assert.equal(stored.price, 990);
      assert.equal(stored.is_licensed, 1);
      const bought = await cliJson('purchase', 'create', '--product', product.id, '--email', 'buyer@example.com', '--quantity', '2');
      assert.deepEqual(Object.keys(bought).sort(), ['id', 'license_key']);
      assert.match(bought.license_key, /^[0-9A-F]{8}(-[0-9A-F]{8}){3}$/);
      const row = await server.ctx.db.selectFrom('purchases').selectAll().where('external_id', '=', bought.id).executeTakeFirstOrThrow();
      assert.equal(row.quantity, 2);
      assert.equal(row.price, 1980);
      const plain = await cliJson('product', 'create', '--email', seller.user.email, '--name', 'Free');
      const free = await cliJson('purchase', 'create', '--product', plain.short_product_id, '--email', 'b@example.com');
      assert.equal(free.license_key, null);
    });

    it('fails with a message and a non-zero exit for bad input', async () => {
      const seller = await server.signUp();
      await assert.rejects(
        run(process.execPath, [BIN, 'product', 'create', '--email', seller.user.email, '--name', 'X', '--price', 'cheap'], { env: { ...process.env, ...env } }),
        (err: { code: number; stderr: string }) => err.code === 1 && /'price' parameter/.test(err.stderr),
      );
      await assert.rejects(
        run(process.execPath, [BIN, 'purchase', 'create', '--product', 'nope', '--email', 'a@example.com'], { env: { ...process.env, ...env } }),
        (err: { code: number; stderr: string }) => err.code === 1 && /The product was not found/.test(err.stderr),
      );
    });
  });
}
