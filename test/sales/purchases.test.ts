import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS, permalinkOf } from '../catalog/helpers.js';

describeEachDialect('POST /v2/purchases', (s) => {
  const purchaseRow = (saleId: string) => s().ctx.db.selectFrom('purchases').selectAll().where('external_id', '=', saleId).executeTakeFirstOrThrow();

  /** A product with a 'Size' category holding 'Large' (at most `largeMax` units) and unlimited 'Small'. */
  async function productWithLimitedOption(token: string, largeMax: string) {
    const p = await createProduct(s(), token);
    const categories = `/v2/products/${encodeURIComponent(p.id)}/variant_categories`;
    const category = (await call(s().client(), 'POST', categories, token, { title: 'Size' })).body.variant_category;
    const variants = `${categories}/${encodeURIComponent(category.id)}/variants`;
    const large = await call(s().client(), 'POST', variants, token, { name: 'Large', max_purchase_count: largeMax });
    assert.equal(large.body.variant.max_purchase_count, Number(largeMax));
    await call(s().client(), 'POST', variants, token, { name: 'Small' });
    const { id } = await s().ctx.db.selectFrom('products').select('id').where('external_id', '=', p.id).executeTakeFirstOrThrow();
    /** The stored sales of the product as sorted 'Size×quantity' entries. */
    const sizesSold = async () =>
      (await s().ctx.db.selectFrom('purchases').select(['variants', 'quantity']).where('product_id', '=', id).execute())
        .map((r) => `${(JSON.parse(r.variants) as { Size: string }).Size}×${r.quantity}`)
        .sort();
    return { product: p, sizesSold };
  }

  describe('200', () => {
    it('records a purchase of a licensed product from every encoding, with a 32-hex license key stored encrypted', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1500', is_licensed: 'true' });
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'POST', '/v2/purchases', token, { product_id: p.id, email: `buyer-${encoding}@example.com` }, encoding);
        assert.equal(res.status, 200, encoding);
        assert.equal(res.body.success, true, JSON.stringify(res.body));
        const sale = res.body.sale;
        assert.equal(sale.email, `buyer-${encoding}@example.com`);
        assert.equal(sale.price, 1500);
        assert.equal(sale.quantity, 1);
        assert.equal(sale.product_id, p.id);
        assert.equal(sale.product_permalink, permalinkOf(p));
        assert.equal(sale.formatted_display_price, '$15');
        assert.match(sale.license_key, /^[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}$/);
        assert.equal(sale.license_disabled, false);
        assert.equal(typeof sale.license_id, 'string');
        assert.equal(sale.is_multiseat_license, false);
        assert.match(sale.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(typeof sale.order_id, 'number');
        const row = await purchaseRow(sale.id);
        assert.equal(row.seller_id, user.id);
        assert.equal(row.order_number, sale.order_id);
        const license = await s().ctx.db.selectFrom('licenses').selectAll().where('purchase_id', '=', row.id).executeTakeFirstOrThrow();
        assert.equal(license.key_hash, s().ctx.keys.hash(sale.license_key));
        assert.ok(!JSON.stringify(license).includes(sale.license_key));
      }
      const audit = await auditActions(s(), user.id, 'purchase.recorded');
      assert.equal(audit.length, 4);
      assert.ok(!JSON.stringify(audit).includes('@example.com'), 'no buyer email in the audit log');
    });

    it('the recorded key verifies through the License API', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { is_licensed: 'true' });
      const sale = (await call(s().client(), 'POST', '/v2/purchases', token, { product: p.id, email: 'v@example.com' })).body.sale;
      const verify = await s().client().post('/v2/licenses/verify', { form: { product_id: p.id, license_key: sale.license_key } });
      assert.equal(verify.status, 200);
      assert.equal(verify.body.success, true);
      assert.equal(verify.body.uses, 1);
    });

    it('prices from product, variants, quantity and offer code; stores variants and custom fields', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1000', custom_permalink: 'my-course' });
      const category = (await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(p.id)}/variant_categories`, token, { title: 'Size' })).body.variant_category;
      await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(p.id)}/variant_categories/${encodeURIComponent(category.id)}/variants`, token, { name: 'Large', price_difference_cents: '500' });
      await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(p.id)}/offer_codes`, token, { name: 'HALF', amount_off: '50', offer_type: 'percent' });
      const form = await s().client().post('/v2/purchases', {
        raw: {
          type: 'application/x-www-form-urlencoded',
          body: `access_token=${token}&product=MY-COURSE&email=b%40example.com&quantity=2&variants[size]=large&custom_fields[Company]=ACME&offer_code=half&full_name=Ada`,
        },
      });
      const sale = form.body.sale;
      assert.equal(sale.price, 1500, JSON.stringify(form.body));
      assert.equal(sale.quantity, 2);
      assert.deepEqual(sale.variants, { Size: 'Large' });
      assert.equal(sale.variants_and_quantity, '(Large) × 2');
      assert.deepEqual(sale.custom_fields, { Company: 'ACME' });
      assert.equal(sale.has_custom_fields, true);
      assert.equal(sale.full_name, 'Ada');
      assert.deepEqual(sale.offer_code, { code: 'HALF', displayed_amount_off: '50%', name: 'HALF' });
      assert.equal('license_key' in sale, false);
      const json = await call(s().client(), 'POST', '/v2/purchases', token, { product: p.id, email: 'c@example.com', price: '0' }, 'json');
      assert.equal(json.body.sale.price, 0);
      assert.equal(json.body.sale.paid, false);
      const nested = await s().client().post('/v2/purchases', { json: { access_token: token, product: p.id, email: 'd@example.com', variants: { Size: 'Large' } } });
      assert.equal(nested.body.sale.price, 1500);
      const row = await purchaseRow(sale.id);
      assert.equal(row.variants, JSON.stringify({ Size: 'Large' }));
      assert.equal(row.custom_fields, JSON.stringify({ Company: 'ACME' }));
    });

    it('starts a subscription for a subscription product', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { subscription_duration: 'yearly' });
      const sale = (await call(s().client(), 'POST', '/v2/purchases', token, { product: p.id, email: 's@example.com' })).body.sale;
      assert.equal(sale.is_recurring_billing, true);
      assert.equal(sale.subscription_duration, 'yearly');
      assert.equal(typeof sale.subscription_id, 'string');
      assert.equal(sale.cancelled, false);
      assert.equal(sale.dead, false);
      assert.equal(sale.free_trial_ended, false);
      assert.ok('free_trial_ends_on' in sale && sale.free_trial_ends_on === null);
      const sub = await s().ctx.db.selectFrom('subscriptions').selectAll().where('external_id', '=', sale.subscription_id).executeTakeFirstOrThrow();
      assert.equal(sub.recurrence, 'yearly');
    });

    it('holds max_purchase_count under concurrent purchases', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { max_purchase_count: '3' });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => call(s().client(), 'POST', '/v2/purchases', token, { product: p.id, email: `r${i}@example.com` })),
      );
      assert.equal(results.filter((r) => r.body.success === true).length, 3);
      assert.ok(results.filter((r) => r.body.success === false).every((r) => r.body.message === 'This product is sold out.'));
      const product = await s().ctx.db.selectFrom('products').select('id').where('external_id', '=', p.id).executeTakeFirstOrThrow();
      const rows = await s().ctx.db.selectFrom('purchases').select('id').where('product_id', '=', product.id).execute();
      assert.equal(rows.length, 3);
    });

    it("holds a variant's max_purchase_count under concurrent purchases", async () => {
      const { token } = await sellerWithToken(s());
      const { product, sizesSold } = await productWithLimitedOption(token, '3');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => call(s().client(), 'POST', '/v2/purchases', token, { product: product.id, email: `v${i}@example.com`, 'variants[Size]': 'Large' })),
      );
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(results.filter((r) => r.body.success === true).length, 3);
      for (const r of results.filter((r) => r.body.success === false)) {
        assert.deepEqual(r.body, { success: false, message: 'Sold out, please go back and pick another option.' });
      }
      assert.deepEqual(await sizesSold(), ['Large×1', 'Large×1', 'Large×1']);
    });
  });

  describe('200 with success false', () => {
    it('refuses bad input with a sentence and records nothing', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1000' });
      await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(p.id)}/offer_codes`, token, { name: 'ONCE', amount_off: '100', max_purchase_count: '0' });
      const cases: [Record<string, string>, RegExp][] = [
        [{ email: 'a@example.com' }, /The product was not found/],
        [{ product: 'nope', email: 'a@example.com' }, /The product was not found/],
        [{ product: p.id }, /'email' parameter must be a valid email/],
        [{ product: p.id, email: 'not-an-email' }, /'email' parameter must be a valid email/],
        [{ product: p.id, email: 'a@example.com', price: 'free' }, /'price' parameter/],
        [{ product: p.id, email: 'a@example.com', quantity: '0' }, /at least 1/],
        [{ product: p.id, email: 'a@example.com', quantity: 'many' }, /'quantity' parameter/],
        [{ product: p.id, email: 'a@example.com', 'variants[Colour]': 'Red' }, /'Colour' is not a variant category/],
        [{ product: p.id, email: 'a@example.com', offer_code: 'NOPE' }, /discount code you wish to use is invalid/],
        [{ product: p.id, email: 'a@example.com', offer_code: 'ONCE' }, /discount code you wish to use has expired/],
        [{ product: p.id, email: 'x'.repeat(300) + '@example.com' }, /too long/],
      ];
      for (const [params, message] of cases) {
        const res = await call(s().client(), 'POST', '/v2/purchases', token, params);
        assert.equal(res.status, 200);
        assert.equal(res.body.success, false);
        assert.match(res.body.message, message, JSON.stringify(params).slice(0, 60));
      }
      const rows = await s().ctx.db.selectFrom('purchases').select('id').where('seller_id', '=', user.id).execute();
      assert.equal(rows.length, 0);
    });

    it("refuses units beyond a variant's max_purchase_count, counting quantities and leaving refunded sales out", async () => {
      const { token } = await sellerWithToken(s());
      const { product, sizesSold } = await productWithLimitedOption(token, '3');
      const buy = (size: string, quantity: string) =>
        call(s().client(), 'POST', '/v2/purchases', token, { product: product.id, email: 'b@example.com', 'variants[size]': size, quantity });
      const first = await buy('large', '2');
      assert.equal(first.body.success, true, JSON.stringify(first.body));
      const tooMany = await buy('Large', '2');
      assert.equal(tooMany.status, 200);
      assert.deepEqual(tooMany.body, { success: false, message: 'You have chosen a quantity that exceeds what is available.' });
      assert.equal((await buy('Small', '5')).body.success, true, 'the other option has no limit');
      assert.equal((await buy('Large', '1')).body.success, true);
      const soldOut = await buy('Large', '1');
      assert.equal(soldOut.status, 200);
      assert.deepEqual(soldOut.body, { success: false, message: 'Sold out, please go back and pick another option.' });
      assert.deepEqual(await sizesSold(), ['Large×1', 'Large×2', 'Small×5']);
      const refund = await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(first.body.sale.id)}/refund`, token);
      assert.equal(refund.body.sale.refunded, true);
      assert.equal((await buy('Large', '2')).body.success, true, 'a refunded sale gives its units back');
      assert.deepEqual(await sizesSold(), ['Large×1', 'Large×2', 'Large×2', 'Small×5']);
    });

    it('does not record a purchase of another seller’s or a deleted product', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token);
      const gone = await createProduct(s(), a.token);
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(gone.id)}`, a.token);
      for (const ref of [theirs.id, permalinkOf(theirs), gone.id]) {
        const res = await call(s().client(), 'POST', '/v2/purchases', a.token, { product: ref, email: 'a@example.com' });
        assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      }
    });
  });

  describe('400', () => {
    it('answers a JSON array where the email belongs with a 400, not a 500', async () => {
      const { token } = await sellerWithToken(s());
      const res = await s().client().post('/v2/purchases', { json: { access_token: token, product: 'x', email: { a: 1 } } });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
    });
  });
});
