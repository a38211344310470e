import http from 'node:http';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { call, createProduct } from '../catalog/helpers.js';
import { Client } from '../support/client.js';
import { createApp, generateToken, sellerWithToken } from '../support/fixtures.js';
import { uniqueEmail, type TestServer } from '../support/harness.js';

export { ChildServer } from '../support/child-server.js';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Form bodies as URLSearchParams entries, in order. */
  form: [string, string][];
  at: number;
}

/**
 * A real HTTP receiver on loopback that records every request. `answer` decides each response's
 * status (default 200); `hold` keeps requests unanswered (they stay open until close).
 */
export class Receiver {
  readonly requests: Received[] = [];
  answer: (request: Received, index: number) => number = () => 200;
  hold = false;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { headers: req.headers, body, form: [...new URLSearchParams(body).entries()], at: Date.now() };
      this.requests.push(received);
      if (!this.hold) {
        res.statusCode = this.answer(received, this.requests.length - 1);
        res.end('ok');
      }
      for (const w of this.waiters.filter((w) => this.requests.length >= w.count)) w.resolve();
      this.waiters = this.waiters.filter((w) => this.requests.length < w.count);
    });
  });
  port = 0;

  static async start(port = 0): Promise<Receiver> {
    const receiver = new Receiver();
    await receiver.listen(port);
    return receiver;
  }

  async listen(port = this.port): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /**
   * Resolves once `count` requests arrived; fails after `timeoutMs`, a bound, not a wait: generous,
   * because on a loaded shared machine one delivery round has been seen to take over 10 s.
   */
  waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver got ${this.requests.length} of ${count} requests`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Parses a Rails-style form body back into nested values (`a[b]`, `a[]`). */
export function parseRailsForm(entries: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!match) {
      out[key] = value;
      continue;
    }
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
    let node: any = out;
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      const last = i === path.length - 1;
      const nextIsArray = path[i + 1] === '';
      if (part === '') {
        if (last) node.push(value);
        else {
          node.push({});
          node = node[node.length - 1];
        }
        continue;
      }
      if (last) node[part] = value;
      else node = node[part] ??= nextIsArray ? [] : {};
    }
  }
  return out;
}

/** A seller with a token, a product and a subscription of the token's application to each resource. */
export async function subscribedSeller(s: TestServer, resources: string[], postUrl: string, productParams: Record<string, string> = {}) {
  const seller = await sellerWithToken(s);
  const product = await createProduct(s, seller.token, { is_licensed: 'true', ...productParams });
  const secrets: Record<string, string> = {};
  const subscriptions: Record<string, string> = {};
  for (const resource of resources) {
    const res = await call(s.client(), 'PUT', '/v2/resource_subscriptions', seller.token, { resource_name: resource, post_url: postUrl });
    assert.equal(res.body.success, true, JSON.stringify(res.body));
    assert.match(res.body.signing_secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    secrets[resource] = res.body.signing_secret;
    subscriptions[resource] = res.body.resource_subscription.id;
  }
  return { ...seller, product, secrets, subscriptions };
}

export async function purchase(s: TestServer, token: string, productId: string, params: Record<string, string> = {}) {
  const res = await call(s.client(), 'POST', '/v2/purchases', token, { product_id: productId, email: 'buyer@example.com', ...params });
  assert.equal(res.body.success, true, JSON.stringify(res.body));
  return res.body.sale as Record<string, any>;
}

export const deliveryRows = (s: TestServer, sellerId: string) =>
  s.ctx.db.selectFrom('webhook_deliveries').selectAll().where('seller_id', '=', sellerId).orderBy('created_at').orderBy('id').execute();

/**
 * Checks the Standard Webhooks signature with the `standardwebhooks` package. Its verify() checks
 * the signature and the timestamp, then parses the body as JSON: for a form body that last step
 * throws a SyntaxError, which means the signature held. Any WebhookVerificationError fails.
 */
export function assertSigned(received: Received, secret: string): void {
  try {
    new Webhook(secret).verify(received.body, received.headers as Record<string, string>);
  } catch (err) {
    if (err instanceof WebhookVerificationError || !(err instanceof SyntaxError)) throw err;
  }
}

/** Whether the signature verifies under `secret` (false on a WebhookVerificationError). */
export function signedWith(received: Received, secret: string): boolean {
  try {
    assertSigned(received, secret);
    return true;
  } catch (err) {
    if (err instanceof WebhookVerificationError) return false;
    throw err;
  }
}

/** Polls `check` until it holds (bounded): for state another process changes. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A seller, application, token, product and `sale` subscription, made over HTTP on a child server. */
export async function setUpSeller(url: string, postUrl: string) {
  const client = new Client(url);
  const signUp = await client.post('/api/users', { json: { email: uniqueEmail(), password: 'correct horse battery' } });
  assert.equal(signUp.status, 201);
  const { application } = await createApp(client);
  const token = await generateToken(client, application.id);
  const product = await call(new Client(url), 'POST', '/v2/products', token, { name: 'Widget', price: '500' });
  assert.equal(product.body.success, true);
  const subscribed = await call(new Client(url), 'PUT', '/v2/resource_subscriptions', token, { resource_name: 'sale', post_url: postUrl });
  assert.equal(subscribed.body.success, true);
  return { token, productId: product.body.product.id as string, userId: signUp.body.user.id as string };
}

export async function buy(url: string, token: string, productId: string, email = 'buyer@example.com') {
  const res = await call(new Client(url), 'POST', '/v2/purchases', token, { product_id: productId, email });
  assert.equal(res.body.success, true, JSON.stringify(res.body));
  return res.body.sale.id as string;
}

