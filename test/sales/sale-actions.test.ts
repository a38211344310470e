import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken, sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from '../catalog/helpers.js';

describeEachDialect('GET /v2/sales/:id, PUT /v2/sales/:id/mark_as_shipped and /refund', (s) => {
  const row = (id: string) => s().ctx.db.selectFrom('purchases').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
  async function sale(token: string, params: Record<string, string> = {}) {
    const product = await createProduct(s(), token, { price: '1000', ...params });
    return (await call(s().client(), 'POST', '/v2/purchases', token, { product: product.id, email: 'buyer@example.com' })).body.sale;
  }

  describe('200', () => {
    it('shows one sale from every encoding', async () => {
      const { token } = await sellerWithToken(s());
      const recorded = await sale(token, { is_licensed: 'true' });
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'GET', `/v2/sales/${encodeURIComponent(recorded.id)}`, token, {}, encoding);
        assert.equal(res.status, 200);
        assert.equal(res.body.sale.id, recorded.id);
        assert.equal(res.body.sale.license_key, recorded.license_key);
      }
    });

    it('marks a sale as shipped with a tracking URL, stored and audited', async () => {
      const { token, user } = await sellerWithToken(s());
      const recorded = await sale(token, { require_shipping: 'true' });
      assert.equal(recorded.shipped, false);
      for (const encoding of ENCODINGS) {
        const url = `https://track.example.com/${encoding}`;
        const res = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(recorded.id)}/mark_as_shipped`, token, { tracking_url: url }, encoding);
        assert.equal(res.body.sale.shipped, true);
        assert.equal(res.body.sale.tracking_url, url);
        assert.equal((await row(recorded.id)).tracking_url, url);
      }
      const plain = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(recorded.id)}/mark_as_shipped`, token);
      assert.equal(plain.body.sale.tracking_url, 'https://track.example.com/json', 'kept when not sent');
      assert.equal((await auditActions(s(), user.id, 'sale.shipped')).length, 5);
    });

    it('refunds in part, repeatedly, then in full; the stored amounts follow and each refund is audited', async () => {
      const { token, user } = await sellerWithToken(s());
      const recorded = await sale(token);
      const path = `/v2/sales/${encodeURIComponent(recorded.id)}/refund`;
      const first = await call(s().client(), 'PUT', path, token, { amount_cents: '300' }, 'multipart');
      assert.equal(first.body.sale.refunded, false);
      assert.equal(first.body.sale.partially_refunded, true);
      assert.equal(first.body.sale.amount_refundable_in_currency, '7.00');
      const second = await call(s().client(), 'PUT', path, token, { amount_cents: '200' }, 'json');
      assert.equal(second.body.sale.amount_refundable_in_currency, '5.00');
      const rest = await call(s().client(), 'PUT', path, token, {}, 'query');
      assert.equal(rest.body.sale.refunded, true);
      assert.equal(rest.body.sale.partially_refunded, false);
      const stored = await row(recorded.id);
      assert.equal(stored.refunded, 1);
      assert.equal(stored.refunded_amount_cents, 1000);
      const audit = await auditActions(s(), user.id, 'sale.refunded');
      assert.deepEqual(audit.map((a) => JSON.parse(a.metadata!).amount_cents), [300, 200, 500]);
    });

    it('accepts a token holding only refund_sales or only edit_sales', async () => {
      const seller = await sellerWithToken(s());
      for (const scope of ['refund_sales', 'edit_sales']) {
        const recorded = await sale(seller.token);
        const { application } = await createApp(seller.client);
        const narrow = await generateToken(seller.client, application.id, { scopes: scope });
        const res = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(recorded.id)}/refund`, narrow);
        assert.equal(res.body.sale.refunded, true, scope);
      }
    });

    it('lets only one of many concurrent full refunds through', async () => {
      const { token, user } = await sellerWithToken(s());
      const recorded = await sale(token);
      const results = await Promise.all(Array.from({ length: 6 }, () => call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(recorded.id)}/refund`, token)));
      assert.equal(results.filter((r) => r.body.success === true).length, 1);
      assert.ok(results.filter((r) => !r.body.success).every((r) => r.body.message === 'Purchase is already refunded.'));
      assert.equal((await row(recorded.id)).refunded_amount_cents, 1000);
      assert.equal((await auditActions(s(), user.id, 'sale.refunded')).length, 1);
    });
  });

  describe('200 with success false', () => {
    it('refuses a second refund, an amount above what is left, and a zero or non-numeric amount', async () => {
      const { token } = await sellerWithToken(s());
      const recorded = await sale(token);
      const path = `/v2/sales/${encodeURIComponent(recorded.id)}/refund`;
      const over = await call(s().client(), 'PUT', path, token, { amount_cents: '1001' });
      assert.deepEqual(over.body, { success: false, message: 'Refund amount cannot be greater than the purchase price.' });
      const zero = await call(s().client(), 'PUT', path, token, { amount_cents: '0' });
      assert.deepEqual(zero.body, { success: false, message: 'The sale was unable to be modified.' });
      const words = await call(s().client(), 'PUT', path, token, { amount_cents: 'ten' });
      assert.equal(words.body.success, false);
      assert.equal((await row(recorded.id)).refunded_amount_cents, 0);
      await call(s().client(), 'PUT', path, token);
      const again = await call(s().client(), 'PUT', path, token);
      assert.deepEqual(again.body, { success: false, message: 'Purchase is already refunded.' });
    });

    it('answers "The sale was not found." for unknown and foreign sales, changing nothing', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await sale(b.token);
      for (const id of ['nope', theirs.id]) {
        for (const [method, suffix] of [['GET', ''], ['PUT', '/mark_as_shipped'], ['PUT', '/refund']] as const) {
          const res = await call(s().client(), method, `/v2/sales/${encodeURIComponent(id)}${suffix}`, a.token);
          assert.deepEqual(res.body, { success: false, message: 'The sale was not found.' });
        }
      }
      const stored = await row(theirs.id);
      assert.equal(stored.refunded, 0);
      assert.equal(stored.shipped, 0);
    });
  });
});
