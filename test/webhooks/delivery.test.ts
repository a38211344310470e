import { afterEach, before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { WebhookSender } from '../../src/webhooks/sender.js';
import { call } from '../catalog/helpers.js';
import { generateToken } from '../support/fixtures.js';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { assertSigned, deliveryRows, purchase, Receiver, signedWith, subscribedSeller } from './support.js';

// The sender of these servers does not run by itself: each test drives its own, on a clock it moves.
const ENV = { TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_SENDER: '0', TESSERA_WEBHOOK_TIMEOUT_MS: '400' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A sender on a clock the test moves: real time plus an offset that only grows, so events recorded
 * now are due, and "an hour later" takes no hour. Jitter is fixed at its middle.
 */
function manualSender(s: TestServer) {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const sender = new WebhookSender(s.ctx, { clock, random: () => 0.5 });
  return {
    sender,
    get now() {
      return clock();
    },
    advance(ms: number) {
      offset += ms;
    },
    /** Moves the clock to the delivery's next attempt and runs one round. */
    async untilNext(row: { next_attempt_at: number }) {
      offset = Math.max(offset, row.next_attempt_at - Date.now());
      return sender.runOnce();
    },
  };
}

/** How long the sender waits after a delivery's latest attempt (exact: both come from one clock reading). */
async function backoff(s: TestServer, row: { id: string; next_attempt_at: number }): Promise<number> {
  const last = await s.ctx.db.selectFrom('webhook_attempts').select('attempted_at').where('delivery_id', '=', row.id).orderBy('attempted_at', 'desc').executeTakeFirstOrThrow();
  return row.next_attempt_at - last.attempted_at;
}

describeEachDialect('webhook delivery: retries, failures, the delivery log, signatures', (s) => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => receiver.close());
  afterEach(async () => {
    receiver.answer = () => 200;
    receiver.hold = false;
    s().ctx.config.allowPrivateTargets = true;
    // Nothing a test left waiting may be sent during the next one.
    await s().ctx.db.updateTable('webhook_deliveries').set({ state: 'failed' }).where('state', '=', 'pending').execute();
  });

  describe('retries', () => {
    it('retries a 500 with growing backoff, with the same webhook-id, until the receiver takes it', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      const start = receiver.requests.length;
      receiver.answer = (_r, i) => (i - start < 2 ? 500 : 200);
      await purchase(s(), seller.token, seller.product.id);
      assert.equal(await clock.sender.runOnce(), 1);
      let [row] = await deliveryRows(s(), seller.user.id);
      assert.equal(row!.state, 'pending');
      assert.equal(row!.last_status, 500);
      assert.equal(await backoff(s(), row!), MINUTE);
      clock.advance(30_000);
      assert.equal(await clock.sender.runOnce(), 0, 'not due yet');
      assert.equal(await clock.untilNext(row!), 1);
      [row] = await deliveryRows(s(), seller.user.id);
      assert.equal(await backoff(s(), row!), 2 * MINUTE);
      assert.equal(await clock.untilNext(row!), 1);
      [row] = await deliveryRows(s(), seller.user.id);
      assert.equal(row!.state, 'succeeded');
      const got = receiver.requests.slice(start);
      assert.equal(got.length, 3);
      assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1);
      for (const r of got) assertSigned(r, seller.secrets.sale!);

      const log = await call(s().client(), 'GET', `/v2/resource_subscriptions/${encodeURIComponent(seller.subscriptions.sale!)}/deliveries`, seller.token, {}, 'query');
      assert.equal(log.body.success, true);
      assert.equal(log.body.deliveries.length, 1);
      const delivery = log.body.deliveries[0];
      assert.deepEqual([delivery.state, delivery.resource_name, delivery.attempt_count, delivery.webhook_id], ['succeeded', 'sale', 3, got[0]!.headers['webhook-id']]);
      assert.deepEqual(delivery.attempts.map((a: any) => a.status_code), [200, 500, 500]);
      assert.deepEqual(delivery.attempts.map((a: any) => a.error), [null, 'The receiver answered HTTP 500.', 'The receiver answered HTTP 500.']);
      assert.ok(delivery.attempts.every((a: any) => Number.isInteger(a.duration_ms) && a.duration_ms >= 0 && !Number.isNaN(Date.parse(a.attempted_at))));
      assert.ok(Date.parse(delivery.attempts[0].attempted_at) > Date.parse(delivery.attempts[2].attempted_at), 'newest first');
    });

    it('retries while the receiver is down, and delivers once it is up again', async () => {
      const clock = manualSender(s());
      const down = await Receiver.start();
      const port = down.port;
      await down.close();
      const seller = await subscribedSeller(s(), ['sale'], `http://127.0.0.1:${port}/hook`);
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      let [row] = await deliveryRows(s(), seller.user.id);
      assert.equal(row!.state, 'pending');
      assert.equal(row!.last_error, 'Connection failed: ECONNREFUSED.');
      const up = new Receiver();
      await up.listen(port);
      try {
        await clock.untilNext(row!);
        [row] = await deliveryRows(s(), seller.user.id);
        assert.equal(row!.state, 'succeeded');
        assert.equal(up.requests.length, 1);
        assertSigned(up.requests[0]!, seller.secrets.sale!);
      } finally {
        await up.close();
      }
    });

    it('counts a receiver that does not answer in time as a timeout, and retries it', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      receiver.hold = true;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const [row] = await deliveryRows(s(), seller.user.id);
      assert.deepEqual([row!.state, row!.last_error, row!.last_status], ['pending', 'Timed out after 400 ms.', null]);
    });

    it('keeps retrying for 24 hours, then marks the delivery failed', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      receiver.answer = () => 503;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      let [row] = await deliveryRows(s(), seller.user.id);
      const gaps: number[] = [];
      while (row!.state === 'pending') {
        gaps.push(await backoff(s(), row!));
        await clock.untilNext(row!);
        [row] = await deliveryRows(s(), seller.user.id);
      }
      assert.equal(row!.state, 'failed');
      assert.match(row!.last_error!, /^The receiver answered HTTP 503\.; gave up after \d+ attempts$/);
      const span = row!.finished_at! - row!.window_start;
      assert.ok(span >= 24 * HOUR && span < 24 * HOUR + MINUTE, `the last attempt is at the end of the window (${span} ms)`);
      assert.deepEqual(gaps.slice(0, 4), [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]);
      assert.ok(gaps.every((g) => g <= 6 * HOUR));
      const attempts = await s().ctx.db.selectFrom('webhook_attempts').select('status_code').where('delivery_id', '=', row!.id).execute();
      assert.equal(attempts.length, row!.attempt_count);
      assert.ok(attempts.length >= 10 && attempts.length <= 20, `${attempts.length} attempts`);
    });

    it('does not retry a 4xx other than 408, 429 and 499', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      receiver.answer = () => 410;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const [row] = await deliveryRows(s(), seller.user.id);
      assert.deepEqual([row!.state, row!.last_status, row!.attempt_count], ['failed', 410, 1]);
      receiver.answer = () => 499;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const [, second] = await deliveryRows(s(), seller.user.id);
      assert.deepEqual([second!.state, second!.last_status], ['pending', 499]);
    });
  });

  describe('who gets deliveries', () => {
    it('stops delivering once the application holds no live token with view_sales', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      await purchase(s(), seller.token, seller.product.id);
      assert.equal(await clock.sender.runOnce(), 1);
      const before = receiver.requests.length;
      // "Generate access token" replaces the owner token: the new one lacks view_sales.
      const narrow = await generateToken(seller.client, seller.application.id, { scopes: 'edit_sales' });
      assert.equal((await call(s().client(), 'GET', '/v2/sales', seller.token, {}, 'query')).status, 401);
      await purchase(s(), narrow, seller.product.id);
      await clock.sender.runOnce();
      const rows = await deliveryRows(s(), seller.user.id);
      assert.deepEqual(rows.map((r) => r.state), ['succeeded', 'skipped']);
      assert.equal(rows[1]!.last_error, 'Not sent: the application no longer holds a live access token with the view_sales scope.');
      assert.equal(receiver.requests.length, before);
    });

    it('refuses private targets at send time unless the operator allows them', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      s().ctx.config.allowPrivateTargets = false;
      const before = receiver.requests.length;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const [row] = await deliveryRows(s(), seller.user.id);
      assert.deepEqual([row!.state, row!.last_error], ['failed', 'Refused: 127.0.0.1 is a private or loopback address.']);
      assert.equal(receiver.requests.length, before);
    });

    it('queues nothing for a seller without subscriptions, and only for the resource subscribed', async () => {
      const seller = await subscribedSeller(s(), ['refund'], receiver.url);
      await purchase(s(), seller.token, seller.product.id);
      assert.deepEqual(await deliveryRows(s(), seller.user.id), []);
    });
  });

  describe('the delivery log and redelivery', () => {
    it('redelivers a delivery with the same webhook-id, and pages the log 20 at a time', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const path = `/v2/resource_subscriptions/${encodeURIComponent(seller.subscriptions.sale!)}/deliveries`;
      const first = (await call(s().client(), 'GET', path, seller.token, {}, 'query')).body.deliveries[0];
      const before = receiver.requests.length;
      const res = await call(s().client(), 'POST', `${path}/${encodeURIComponent(first.id)}/redeliver`, seller.token);
      assert.equal(res.body.success, true, JSON.stringify(res.body));
      assert.deepEqual([res.body.delivery.id, res.body.delivery.state], [first.id, 'pending']);
      await clock.sender.runOnce();
      assert.equal(receiver.requests.length, before + 1);
      assert.equal(receiver.requests[before]!.headers['webhook-id'], first.webhook_id);
      const again = (await call(s().client(), 'GET', path, seller.token, {}, 'query')).body.deliveries[0];
      assert.deepEqual([again.state, again.attempt_count], ['succeeded', 2]);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).where('action', '=', 'webhook.redelivered').execute();
      assert.equal(audit.length, 1);

      for (let i = 0; i < 21; i++) await purchase(s(), seller.token, seller.product.id);
      const page1 = await call(s().client(), 'GET', path, seller.token, {}, 'query');
      assert.equal(page1.body.deliveries.length, 20);
      assert.ok(page1.body.next_page_key);
      assert.ok(page1.body.next_page_url.startsWith(`${path}?page_key=`));
      const page2 = await call(s().client(), 'GET', page1.body.next_page_url, seller.token, {}, 'query');
      assert.equal(page2.body.deliveries.length, 2);
      assert.equal(page2.body.next_page_key, undefined);
      assert.equal(page2.body.deliveries[1].id, first.id, 'oldest last');
      assert.deepEqual((await call(s().client(), 'GET', path, seller.token, { page_key: 'garbage' }, 'query')).body, {
        status: 400, error: 'Invalid page_key.', success: false, message: 'Invalid page_key.',
      });
    });

    it("answers another application's or seller's subscription, and an unknown delivery, as not found", async () => {
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      const other = await subscribedSeller(s(), ['sale'], receiver.url);
      const path = `/v2/resource_subscriptions/${encodeURIComponent(seller.subscriptions.sale!)}/deliveries`;
      assert.deepEqual((await call(s().client(), 'GET', path, other.token, {}, 'query')).body, { success: false, message: 'The resource_subscription was not found.' });
      assert.deepEqual((await call(s().client(), 'POST', `${path}/nope/redeliver`, seller.token)).body, { success: false, message: 'The delivery was not found.' });
      const wrongScope = await generateToken(seller.client, seller.application.id, { scopes: 'edit_products' });
      const refused = await call(s().client(), 'GET', path, wrongScope, {}, 'query');
      assert.equal(refused.status, 403);
    });

    it('prunes successful deliveries older than the retention, and keeps failed ones', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      receiver.answer = () => 400;
      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      assert.deepEqual((await deliveryRows(s(), seller.user.id)).map((r) => r.state), ['succeeded', 'failed']);
      assert.equal(await clock.sender.prune(clock.now + 29 * 24 * HOUR), 0);
      assert.ok((await clock.sender.prune(clock.now + 31 * 24 * HOUR)) >= 1);
      assert.deepEqual((await deliveryRows(s(), seller.user.id)).map((r) => r.state), ['failed']);
    });
  });

  describe('signing secrets', () => {
    it('rotates the secret: both sign during the grace period, then only the new one', async () => {
      const clock = manualSender(s());
      const seller = await subscribedSeller(s(), ['sale'], receiver.url);
      const old = seller.secrets.sale!;
      const rotated = await call(s().client(), 'POST', `/v2/resource_subscriptions/${encodeURIComponent(seller.subscriptions.sale!)}/rotate_secret`, seller.token, { grace_period: '3600' });
      assert.equal(rotated.body.success, true, JSON.stringify(rotated.body));
      const fresh = rotated.body.signing_secret as string;
      assert.match(fresh, /^whsec_/);
      assert.notEqual(fresh, old);
      assert.ok(rotated.body.previous_secret_expires_at);
      const stored = await s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('external_id', '=', seller.subscriptions.sale!).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored).includes(fresh.slice(6)) && !JSON.stringify(stored).includes(old.slice(6)), 'stored encrypted');

      await purchase(s(), seller.token, seller.product.id);
      await clock.sender.runOnce();
      const during = receiver.requests[receiver.requests.length - 1]!;
      assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
      assert.ok(signedWith(during, fresh));
      assert.ok(signedWith(during, old));

      clock.advance(2 * HOUR);
      await purchase(s(), seller.token, seller.product.id);
      const [, second] = await deliveryRows(s(), seller.user.id);
      await clock.untilNext(second!);
      const afterGrace = receiver.requests[receiver.requests.length - 1]!;
      assert.equal(String(afterGrace.headers['webhook-signature']).split(' ').length, 1);
      // Signed at the sender's (moved) clock, which verify() would call too new: compare with the package's own signing.
      const timestamp = Number(afterGrace.headers['webhook-timestamp']);
      assert.ok(timestamp * 1000 > Date.now() + HOUR && timestamp <= Math.floor(clock.now / 1000));
      const id = String(afterGrace.headers['webhook-id']);
      assert.equal(afterGrace.headers['webhook-signature'], new Webhook(fresh).sign(id, new Date(timestamp * 1000), afterGrace.body));
      assert.notEqual(afterGrace.headers['webhook-signature'], new Webhook(old).sign(id, new Date(timestamp * 1000), afterGrace.body));
      assert.deepEqual(
        (await call(s().client(), 'POST', `/v2/resource_subscriptions/${encodeURIComponent(seller.subscriptions.sale!)}/rotate_secret`, seller.token, { grace_period: '-1' })).body,
        { success: false, message: "The 'grace_period' parameter must be a whole number of seconds between 0 and 604800." },
      );
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).where('action', '=', 'resource_subscription.secret_rotated').execute();
      assert.equal(audit.length, 1);
    });
  });
}, ENV);
