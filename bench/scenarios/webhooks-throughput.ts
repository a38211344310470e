// How many webhook deliveries per second one server's sender makes to a local receiver.
//   node --import tsx bench/scenarios/webhooks-throughput.ts [--events 2000] [--concurrency 16]
// Seeds `events` sales (each queues one `sale` delivery in its transaction), then starts the
// sender and times until the receiver has them all and every outbox row is marked succeeded.
// Baseline in the same run: the same number of plain POSTs to the same receiver, as many at once.
// SQLite in a temp folder by default; DATABASE_URL=postgres://… measures PostgreSQL.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/bootstrap.js';
import { CLI_ACTOR } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { subscribeToResource } from '../../src/webhooks/resource-subscription-service.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import type { TokenPrincipal } from '../../src/tokens/service.js';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const events = Number(args.events);
const concurrency = Number(args.concurrency);

let received = 0;
let onReceived: (() => void) | null = null;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.end('ok');
    onReceived?.();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const until = (count: number) => new Promise<void>((resolve) => {
  if (received >= count) return resolve();
  onReceived = () => {
    if (received >= count) resolve();
  };
});

// Baseline: plain POSTs of a typical form body, `concurrency` at a time, no agent (as the sender).
const body = 'seller_id=x&product_id=y&email=buyer%40example.com&price=500&resource_name=sale&card%5Bvisual%5D=';
async function plainPosts(count: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const r = http.request(receiverUrl, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        r.on('error', reject);
        r.end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return count / ((performance.now() - start) / 1000);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-webhooks-bench-'));
const ctx = await createContext(
  loadConfig({
    TESSERA_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    ...process.env,
    TESSERA_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TESSERA_ALLOW_PRIVATE_TARGETS: '1',
    TESSERA_WEBHOOK_CONCURRENCY: String(concurrency),
    TESSERA_WEBHOOK_POLL_MS: '5',
  }),
);
const user = await createUser(ctx, { email: `webhooks-bench-${Date.now()}@example.com`, password: 'bench password' }, CLI_ACTOR);
const { application } = await createApplication(ctx, user.id, { name: 'Bench', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
await generateOwnerToken(ctx, user.id, application.id, {}, CLI_ACTOR);
const product = await createProduct(ctx, user.id, { name: 'Bench app', price: '500', is_licensed: 'true' }, CLI_ACTOR);
await subscribeToResource(ctx, { userId: user.id, applicationId: application.id } as TokenPrincipal, { resource_name: 'sale', post_url: receiverUrl }, CLI_ACTOR);
for (let i = 0; i < events; i++) await recordPurchase(ctx, user.id, { product: product.id, email: `b${i}@example.com` }, CLI_ACTOR);

const baseline = await plainPosts(events);
received = 0;
const started = performance.now();
ctx.webhooks.start({ info() {}, warn: console.warn, error: (d, m) => console.error(m, d) });
await until(events);
for (;;) {
  const left = await ctx.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'succeeded').executeTakeFirstOrThrow();
  if (Number(left.n) === 0) break;
  await new Promise((r) => setTimeout(r, 5));
}
const seconds = (performance.now() - started) / 1000;
await ctx.webhooks.stop();
await ctx.close();
receiver.close();
fs.rmSync(dataDir, { recursive: true, force: true });
const rate = events / seconds;
console.log(
  `${ctx.dialect}: ${events} signed sale deliveries in ${seconds.toFixed(2)} s = ${Math.round(rate)} deliveries/s (sender concurrency ${concurrency}); ` +
    `plain POSTs to the same receiver: ${Math.round(baseline)}/s; ratio ${(rate / baseline).toFixed(2)}×; Node ${process.version}, ${os.cpus().length} cores`,
);
