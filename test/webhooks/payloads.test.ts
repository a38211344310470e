import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../catalog/helpers.js';
import { openPayload } from '../../src/webhooks/outbox.js';
import { describeEachDialect } from '../support/harness.js';
import { assertSigned, parseRailsForm, purchase, Receiver, subscribedSeller, type Received } from './support.js';

const ENV = { TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_POLL_MS: '50' };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The delivery verified with the standardwebhooks package, then decoded from its Rails form. */
function verified(received: Received, secret: string): Record<string, any> {
  assert.equal(received.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.match(String(received.headers['webhook-id']), /^msg_/);
  assert.match(String(received.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
  assertSigned(received, secret);
  return parseRailsForm(received.form);
}

describeEachDialect('webhook payloads per resource', (s) => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => receiver.close());

  const next = async () => {
    const count = receiver.requests.length + 1;
    try {
      await receiver.waitFor(count);
    } catch (err) {
      // Say why: a failed attempt waits a minute for its retry, far past the wait.
      const attempts = await s().ctx.db.selectFrom('webhook_attempts').select(['status_code', 'duration_ms', 'error']).where('error', 'is not', null).execute();
      throw new Error(`${(err as Error).message}; failed attempts: ${JSON.stringify(attempts)}`);
    }
    return receiver.requests[count - 1]!;
  };

  describe('sale, refund, dispute, dispute_won', () => {
    it("posts Gumroad's sale payload, form-encoded with bracket keys, signed, for each sale event", async () => {
      const seller = await subscribedSeller(s(), ['sale', 'refund', 'dispute', 'dispute_won'], receiver.url);
      const sale = await purchase(s(), seller.token, seller.product.id, { full_name: 'Ada Buyer', 'custom_fields[Company]': 'Acme [EU]', price: '700' });
      const saleHook = verified(await next(), seller.secrets.sale!);
      assert.deepEqual(Object.keys(saleHook).slice(0, 18), [
        'seller_id', 'product_id', 'product_name', 'permalink', 'product_permalink', 'short_product_id', 'email', 'price', 'gumroad_fee',
        'currency', 'quantity', 'discover_fee_charged', 'can_contact', 'referrer', 'card', 'order_number', 'sale_id', 'sale_timestamp',
      ]);
      assert.equal(saleHook.seller_id, sale.seller_id);
      assert.equal(saleHook.product_id, seller.product.id);
      assert.equal(saleHook.product_name, 'Widget');
      assert.equal(saleHook.product_permalink, `${s().url}/l/${sale.product_permalink}`);
      assert.equal(saleHook.short_product_id, sale.product_permalink);
      assert.equal(saleHook.email, 'buyer@example.com');
      assert.equal(saleHook.full_name, 'Ada Buyer');
      assert.equal(saleHook.price, '700');
      assert.equal(saleHook.currency, 'usd');
      assert.equal(saleHook.quantity, '1');
      assert.deepEqual(saleHook.card, { visual: '', type: '', bin: '', expiry_month: '', expiry_year: '' });
      assert.equal(saleHook.order_number, String(sale.order_id));
      assert.equal(saleHook.sale_id, sale.id);
      assert.match(saleHook.sale_timestamp, ISO);
      assert.equal(saleHook['Company'], 'Acme [EU]');
      assert.deepEqual(saleHook.custom_fields, { Company: 'Acme [EU]' });
      assert.equal(saleHook.license_key, sale.license_key);
      assert.equal(saleHook.resource_name, 'sale');
      assert.deepEqual([saleHook.refunded, saleHook.disputed, saleHook.dispute_won, saleHook.is_gift_receiver_purchase], ['false', 'false', 'false', 'false']);
      // Stored sealed: the outbox row holds neither the license key nor the buyer's email, and opens to what was sent.
      const [row] = await s().ctx.db.selectFrom('webhook_deliveries').select('payload').where('seller_id', '=', seller.user.id).where('resource_name', '=', 'sale').execute();
      assert.match(row!.payload, /^v1\./);
      assert.ok(!row!.payload.includes(sale.license_key) && !row!.payload.includes('buyer@example.com'));
      const opened = JSON.parse(openPayload(s().ctx.keys, row!.payload)) as Record<string, unknown>;
      assert.deepEqual([opened.license_key, opened.email, opened.sale_id], [sale.license_key, 'buyer@example.com', sale.id]);

      const refunded = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(sale.id)}/refund`, seller.token);
      assert.equal(refunded.body.success, true);
      const refundHook = verified(await next(), seller.secrets.refund!);
      assert.equal(refundHook.resource_name, 'refund');
      assert.equal(refundHook.refunded, 'true');
      assert.equal(refundHook.sale_id, sale.id);

      const disputed = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(sale.id)}/dispute`, seller.token);
      assert.equal(disputed.body.success, true);
      assert.equal(disputed.body.sale.disputed, true);
      const disputeHook = verified(await next(), seller.secrets.dispute!);
      assert.deepEqual([disputeHook.resource_name, disputeHook.disputed, disputeHook.dispute_won], ['dispute', 'true', 'false']);

      const won = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(sale.id)}/dispute_won`, seller.token);
      assert.equal(won.body.sale.dispute_won, true);
      const wonHook = verified(await next(), seller.secrets.dispute_won!);
      assert.deepEqual([wonHook.resource_name, wonHook.disputed, wonHook.dispute_won], ['dispute_won', 'true', 'true']);

      // What the API answers changed too: the sale, and the license verification.
      const shown = await call(s().client(), 'GET', `/v2/sales/${encodeURIComponent(sale.id)}`, seller.token, {}, 'query');
      assert.deepEqual([shown.body.sale.disputed, shown.body.sale.dispute_won, shown.body.sale.refunded], [true, true, true]);
      const verify = await call(s().client(), 'POST', '/v2/licenses/verify', undefined, { product_id: seller.product.id, license_key: sale.license_key });
      assert.deepEqual([verify.body.purchase.disputed, verify.body.purchase.dispute_won], [true, true]);
      // One delivery per event and subscription, each signed with its own subscription's secret.
      assert.equal(new Set(receiver.requests.slice(-4).map((r) => r.headers['webhook-id'])).size, 4);
    });

    it('a chargeback sends `dispute` and marks the sale chargedback; a second chargeback is refused', async () => {
      const seller = await subscribedSeller(s(), ['dispute'], receiver.url);
      const sale = await purchase(s(), seller.token, seller.product.id);
      const res = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(sale.id)}/chargeback`, seller.token);
      assert.deepEqual([res.body.sale.chargedback, res.body.sale.disputed], [true, true]);
      const hook = verified(await next(), seller.secrets.dispute!);
      assert.deepEqual([hook.resource_name, hook.disputed], ['dispute', 'true']);
      const again = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(sale.id)}/chargeback`, seller.token);
      assert.deepEqual(again.body, { success: false, message: 'The sale is already chargebacked.' });
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).where('action', 'like', 'sale.%').execute();
      assert.deepEqual(audit.map((a) => a.action), ['sale.chargebacked']);
    });
  });

  describe('cancellation, subscription_ended, subscription_restarted, subscription_updated', () => {
    it("posts Gumroad's subscription payload with each event's keys, and the subscriber, sale and license follow", async () => {
      const names = ['cancellation', 'subscription_ended', 'subscription_restarted', 'subscription_updated'];
      const seller = await subscribedSeller(s(), names, receiver.url, { subscription_duration: 'monthly', price: '900' });
      const sale = await purchase(s(), seller.token, seller.product.id, { 'custom_fields[Seat]': 'A1' });
      const id = encodeURIComponent(sale.subscription_id);

      const cancelled = await call(s().client(), 'PUT', `/v2/subscribers/${id}/cancel`, seller.token, { cancelled_by: 'buyer' });
      assert.equal(cancelled.body.subscriber.status, 'cancelled');
      const cancel = verified(await next(), seller.secrets.cancellation!);
      assert.deepEqual(Object.keys(cancel).slice(0, 11), [
        'subscription_id', 'product_id', 'product_name', 'user_id', 'user_email', 'purchase_ids', 'created_at', 'charge_occurrence_count', 'recurrence', 'free_trial_ends_at', 'resource_name',
      ]);
      assert.equal(cancel.subscription_id, sale.subscription_id);
      assert.equal(cancel.product_id, seller.product.id);
      assert.equal(cancel.user_email, 'buyer@example.com');
      assert.deepEqual(cancel.purchase_ids, [sale.id]);
      assert.match(cancel.created_at, ISO);
      assert.equal(cancel.recurrence, 'monthly');
      assert.equal(cancel.resource_name, 'cancellation');
      assert.deepEqual(cancel.custom_fields, { Seat: 'A1' });
      assert.equal(cancel.license_key, sale.license_key);
      assert.equal(cancel.cancelled, 'true');
      assert.match(cancel.cancelled_at, ISO);
      assert.equal(cancel.cancelled_by_buyer, 'true');

      const ended = await call(s().client(), 'PUT', `/v2/subscribers/${id}/end`, seller.token);
      assert.ok(ended.body.subscriber.ended_at);
      const end = verified(await next(), seller.secrets.subscription_ended!);
      assert.equal(end.resource_name, 'subscription_ended');
      assert.match(end.ended_at, ISO);
      assert.equal(end.ended_reason, 'cancelled');
      const verifyEnded = await call(s().client(), 'POST', '/v2/licenses/verify', undefined, { product_id: seller.product.id, license_key: sale.license_key });
      assert.match(verifyEnded.body.purchase.subscription_ended_at, ISO);
      const listed = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(seller.product.id)}/subscribers`, seller.token, {}, 'query');
      assert.deepEqual(listed.body.subscribers, []);
      const saleShown = await call(s().client(), 'GET', `/v2/sales/${encodeURIComponent(sale.id)}`, seller.token, {}, 'query');
      assert.deepEqual([saleShown.body.sale.ended, saleShown.body.sale.dead], [true, true]);

      const restarted = await call(s().client(), 'PUT', `/v2/subscribers/${id}/restart`, seller.token);
      assert.equal(restarted.body.subscriber.status, 'alive');
      const restart = verified(await next(), seller.secrets.subscription_restarted!);
      assert.equal(restart.resource_name, 'subscription_restarted');
      assert.equal(restart.cancelled, undefined);
      const verifyAlive = await call(s().client(), 'POST', '/v2/licenses/verify', undefined, { product_id: seller.product.id, license_key: sale.license_key });
      assert.equal(verifyAlive.body.purchase.subscription_ended_at, null);

      const updated = await call(s().client(), 'PUT', `/v2/subscribers/${id}/update`, seller.token, { recurrence: 'yearly', price_cents: '9000', tier: 'Team' });
      assert.equal(updated.body.subscriber.recurrence, 'yearly');
      const update = verified(await next(), seller.secrets.subscription_updated!);
      assert.equal(update.resource_name, 'subscription_updated');
      assert.equal(update.type, 'upgrade');
      assert.match(update.effective_as_of, ISO);
      assert.deepEqual(update.old_plan, { tier: { id: seller.product.id, name: 'Widget' }, recurrence: 'monthly', price_cents: '900', quantity: '1' });
      assert.deepEqual(update.new_plan, { tier: { id: seller.product.id, name: 'Team' }, recurrence: 'yearly', price_cents: '9000', quantity: '1' });
      assert.equal(update.recurrence, 'yearly');
      const saleAfter = await call(s().client(), 'GET', `/v2/sales/${encodeURIComponent(sale.id)}`, seller.token, {}, 'query');
      assert.equal(saleAfter.body.sale.price, 9000);

      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', seller.user.id).where('action', 'like', 'subscription.%').orderBy('occurred_at').execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['subscription.cancelled', 'subscription.ended', 'subscription.restarted', 'subscription.updated']);
    });

    it('refuses impossible changes with a FAIL and changes nothing', async () => {
      const seller = await subscribedSeller(s(), ['cancellation'], receiver.url, { subscription_duration: 'monthly' });
      const sale = await purchase(s(), seller.token, seller.product.id);
      const id = encodeURIComponent(sale.subscription_id);
      const before = receiver.requests.length;
      assert.deepEqual((await call(s().client(), 'PUT', `/v2/subscribers/${id}/restart`, seller.token)).body, {
        success: false,
        message: 'The subscription is active: there is nothing to restart.',
      });
      assert.deepEqual((await call(s().client(), 'PUT', `/v2/subscribers/${id}/cancel`, seller.token, { cancelled_by: 'robot' })).body, {
        success: false,
        message: "The 'cancelled_by' parameter must be one of: seller, buyer, admin.",
      });
      assert.deepEqual((await call(s().client(), 'PUT', `/v2/subscribers/${id}/update`, seller.token, { recurrence: 'weekly' })).body, {
        success: false,
        message: "The 'recurrence' parameter must be one of: monthly, quarterly, biannually, yearly, every_two_years.",
      });
      assert.deepEqual((await call(s().client(), 'PUT', '/v2/subscribers/nope/cancel', seller.token)).body, { success: false, message: 'The subscriber was not found.' });
      const rows = await s().ctx.db.selectFrom('webhook_deliveries').selectAll().where('seller_id', '=', seller.user.id).execute();
      assert.equal(rows.length, 0);
      assert.equal(receiver.requests.length, before);
    });
  });

  describe('license_rotated, license_disabled, license_enabled, license_activated, license_deactivated', () => {
    it("posts Tessera's license events with the license's ids and state", async () => {
      const seller = await subscribedSeller(s(), ['license_disabled', 'license_enabled', 'license_rotated'], receiver.url);
      const sale = await purchase(s(), seller.token, seller.product.id);
      const ref = { product_id: seller.product.id, license_key: sale.license_key };
      await call(s().client(), 'PUT', '/v2/licenses/disable', seller.token, ref);
      const disabled = verified(await next(), seller.secrets.license_disabled!);
      assert.deepEqual([disabled.resource_name, disabled.license_id, disabled.sale_id, disabled.product_id, disabled.disabled], ['license_disabled', sale.license_id, sale.id, seller.product.id, 'true']);
      assert.match(disabled.disabled_at, ISO);
      await call(s().client(), 'PUT', '/v2/licenses/enable', seller.token, ref);
      const enabled = verified(await next(), seller.secrets.license_enabled!);
      assert.deepEqual([enabled.resource_name, enabled.disabled], ['license_enabled', 'false']);
      const rotated = await call(s().client(), 'PUT', '/v2/licenses/rotate', seller.token, ref);
      assert.equal(rotated.body.success, true, JSON.stringify(rotated.body));
      const rotation = verified(await next(), seller.secrets.license_rotated!);
      assert.equal(rotation.resource_name, 'license_rotated');
      assert.equal(rotation.license_key, rotated.body.purchase.license_key);
      assert.notEqual(rotation.license_key, sale.license_key);
      assert.match(rotation.rotated_at, ISO);
    });

    it('posts license_activated and license_deactivated with the instance and the seats in use (key matched in any case)', async () => {
      const seller = await subscribedSeller(s(), ['license_activated', 'license_deactivated'], receiver.url, { activation_limit: '2' });
      const sale = await purchase(s(), seller.token, seller.product.id);
      const typed = `  ${sale.license_key.toLowerCase()} `;
      const activated = await s().client().post('/v1/licenses/activate', { form: { license_key: typed, instance_name: 'Studio Mac' } });
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      assert.equal(activated.body.activated, true);
      const on = verified(await next(), seller.secrets.license_activated!);
      assert.deepEqual(
        [on.resource_name, on.license_id, on.sale_id, on.product_id, on.instance_id, on.instance_name, on.activation_usage, on.activation_limit],
        ['license_activated', sale.license_id, sale.id, seller.product.id, activated.body.instance.id, 'Studio Mac', '1', '2'],
      );
      const freed = await s().client().post('/v1/licenses/deactivate', { form: { license_key: sale.license_key, instance_id: activated.body.instance.id } });
      assert.equal(freed.status, 200, JSON.stringify(freed.body));
      const off = verified(await next(), seller.secrets.license_deactivated!);
      assert.deepEqual([off.resource_name, off.instance_id, off.activation_usage], ['license_deactivated', activated.body.instance.id, '0']);
      const stored = await s().ctx.db.selectFrom('webhook_deliveries').select('resource_name').where('seller_id', '=', seller.user.id).execute();
      assert.deepEqual(stored.map((r) => r.resource_name).sort(), ['license_activated', 'license_deactivated']);
    });
  });
}, ENV);
