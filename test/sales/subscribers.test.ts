import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { CLI_ACTOR } from '../../src/context.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { call, createProduct, ENCODINGS } from '../catalog/helpers.js';

const T0 = Date.UTC(2024, 5, 1);

async function subscribe(s: TestServer, sellerId: string, productId: string, email: string, createdAt: number) {
  return recordPurchase(s.ctx, sellerId, { product: productId, email }, CLI_ACTOR, { createdAt });
}

describeEachDialect('GET /v2/products/:product_id/subscribers and GET /v2/subscribers/:id', (s) => {
  const path = (id: string) => `/v2/products/${encodeURIComponent(id)}/subscribers`;
  const setState = (saleId: string, state: Record<string, number>) => s().ctx.db.updateTable('purchases').set(state).where('external_id', '=', saleId).execute();

  describe('200', () => {
    it('lists active subscribers newest first from every encoding, leaving out failed, ended and cancelled ones', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'monthly', is_licensed: 'true' });
      const alive = await subscribe(s(), user.id, p.id, 'alive@example.com', T0);
      const pending = await subscribe(s(), user.id, p.id, 'pending@example.com', T0 + 1000);
      const failed = await subscribe(s(), user.id, p.id, 'failed@example.com', T0 + 2000);
      const ended = await subscribe(s(), user.id, p.id, 'ended@example.com', T0 + 3000);
      const cancelled = await subscribe(s(), user.id, p.id, 'cancelled@example.com', T0 + 4000);
      await setState(pending.id, { subscription_cancelled_at: Date.now() + 86_400_000 });
      await setState(failed.id, { subscription_failed_at: Date.now() });
      await setState(ended.id, { subscription_ended_at: Date.now() });
      await setState(cancelled.id, { subscription_cancelled_at: Date.now() - 1000 });
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'GET', path(p.id), token, {}, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.subscribers.map((x: { email: string; status: string }) => [x.email, x.status]), [
          ['pending@example.com', 'pending_cancellation'],
          ['alive@example.com', 'alive'],
        ]);
        assert.equal('next_page_key' in res.body, false);
      }
      const one = (await call(s().client(), 'GET', path(p.id), token, { email: 'alive@example.com' }, 'query')).body.subscribers;
      assert.equal(one.length, 1);
      const x = one[0];
      assert.equal(x.id, alive.subscription_id);
      assert.equal(x.product_id, p.id);
      assert.deepEqual(x.purchase_ids, [alive.id]);
      assert.equal(x.recurrence, 'monthly');
      assert.equal(x.created_at, '2024-06-01T00:00:00Z');
      assert.equal(x.license_key, alive.license_key);
      for (const key of ['user_id', 'user_email', 'cancelled_at', 'ended_at', 'failed_at', 'free_trial_ends_at', 'user_requested_cancellation_at']) {
        assert.ok(key in x && x[key] === null, key);
      }
    });

    it('pages 100 at a time when paginated is "true" or "1"', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'yearly' });
      for (let i = 0; i < 102; i++) await subscribe(s(), user.id, p.id, `s${i}@example.com`, T0 + i * 1000);
      const all = await call(s().client(), 'GET', path(p.id), token, {}, 'query');
      assert.equal(all.body.subscribers.length, 102);
      const first = await call(s().client(), 'GET', path(p.id), token, { paginated: 'true' }, 'query');
      assert.equal(first.body.subscribers.length, 100);
      assert.equal(first.body.subscribers[0].email, 's101@example.com');
      assert.equal(first.body.next_page_url, `${path(p.id)}?paginated=true&page_key=${encodeURIComponent(first.body.next_page_key)}`);
      const second = await call(s().client(), 'GET', path(p.id), token, { paginated: '1', page_key: first.body.next_page_key }, 'form');
      assert.deepEqual(second.body.subscribers.map((x: { email: string }) => x.email), ['s1@example.com', 's0@example.com']);
      assert.equal('next_page_key' in second.body, false);
    });

    it('follows a page_key without paginated, and matches email case-insensitively', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'yearly' });
      for (let i = 0; i < 101; i++) await subscribe(s(), user.id, p.id, `t${i}@example.com`, T0 + i * 1000);
      const first = await call(s().client(), 'GET', path(p.id), token, { paginated: 'true' }, 'query');
      const second = await call(s().client(), 'GET', path(p.id), token, { page_key: first.body.next_page_key }, 'query');
      assert.equal(second.status, 200);
      assert.deepEqual(second.body.subscribers.map((x: { email: string }) => x.email), ['t0@example.com']);
      const byEmail = await call(s().client(), 'GET', path(p.id), token, { email: 'T7@EXAMPLE.com' }, 'query');
      assert.deepEqual(byEmail.body.subscribers.map((x: { email: string }) => x.email), ['t7@example.com']);
    });

    it('shows one subscriber by id', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'quarterly' });
      const sale = await subscribe(s(), user.id, p.id, 'one@example.com', T0);
      const res = await call(s().client(), 'GET', `/v2/subscribers/${encodeURIComponent(String(sale.subscription_id))}`, token, {}, 'json');
      assert.equal(res.status, 200);
      assert.equal(res.body.subscriber.email, 'one@example.com');
      assert.equal(res.body.subscriber.status, 'alive');
      assert.equal('subscribers' in res.body, false);
    });
  });

  describe('200 with success false', () => {
    it('answers not found for unknown and foreign products and subscribers', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token, { subscription_duration: 'monthly' });
      const sale = await subscribe(s(), b.user.id, theirs.id, 'hidden@example.com', T0);
      for (const ref of ['nope', theirs.id]) {
        const res = await call(s().client(), 'GET', path(ref), a.token, {}, 'query');
        assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      }
      for (const id of ['nope', String(sale.subscription_id)]) {
        const res = await call(s().client(), 'GET', `/v2/subscribers/${encodeURIComponent(id)}`, a.token, {}, 'query');
        assert.deepEqual(res.body, { success: false, message: 'The subscriber was not found.' });
      }
    });
  });

  describe('400', () => {
    it('answers E400 "Invalid page_key." for a bad key', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'monthly' });
      const res = await call(s().client(), 'GET', path(p.id), token, { paginated: 'true', page_key: 'x-y' }, 'query');
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { status: 400, error: 'Invalid page_key.', success: false, message: 'Invalid page_key.' });
      const without = await call(s().client(), 'GET', path(p.id), token, { page_key: 'x-y' }, 'query');
      assert.equal(without.status, 400, 'a bad page_key is refused with or without paginated');
    });
  });
});
