import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { call, createProduct, ENCODINGS, permalinkOf } from './helpers.js';

describeEachDialect('GET /v2/products and GET /v2/products/:id', (s) => {
  describe('200', () => {
    it('lists the seller’s products newest first, drafts and disabled ones too, deleted ones not', async () => {
      const { token } = await sellerWithToken(s());
      const first = await createProduct(s(), token, { name: 'First' });
      const second = await createProduct(s(), token, { name: 'Second' });
      const gone = await createProduct(s(), token, { name: 'Gone' });
      await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(second.id)}/disable`, token);
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(gone.id)}`, token);
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'GET', '/v2/products', token, {}, encoding);
        assert.equal(res.status, 200, encoding);
        assert.equal(res.body.success, true);
        assert.deepEqual(res.body.products.map((p: { name: string }) => p.name), ['Second', 'First'], encoding);
        assert.equal(res.body.products[0].published, false);
      }
      assert.ok(first.id);
    });

    it('shows the contract’s product object, found by external id or unique permalink', async () => {
      const { token } = await sellerWithToken(s());
      const created = await createProduct(s(), token, { name: 'Book', price: '1250', description: '<p>Hi</p>', tags: 'a,b' });
      for (const ref of [created.id, permalinkOf(created)]) {
        const res = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(ref)}`, token, {}, 'query');
        assert.equal(res.status, 200);
        const p = res.body.product;
        assert.equal(p.id, created.id);
        assert.equal(p.name, 'Book');
        assert.equal(p.description, '<p>Hi</p>');
        assert.equal(p.price, 1250);
        assert.equal(p.currency, 'usd');
        assert.equal(p.formatted_price, '$12.50');
        assert.equal(p.published, true);
        assert.equal(p.deleted, false);
        assert.equal(p.url, null);
        assert.deepEqual(p.tags, ['a', 'b']);
        assert.deepEqual(p.file_info, {});
        assert.deepEqual(p.variants, []);
        assert.deepEqual(p.custom_fields, []);
        assert.equal(p.is_tiered_membership, false);
        assert.match(p.short_url, /\/l\/[a-z]{6}$/);
        for (const key of ['custom_permalink', 'custom_receipt', 'custom_summary', 'preview_url', 'thumbnail_url', 'subscription_duration', 'max_purchase_count', 'recurrences']) {
          assert.ok(key in p && p[key] === null, key);
        }
      }
    });

    it('adds sales_count, sales_usd_cents and custom_delivery_url with view_sales (refunds left out)', async () => {
      const seller = await sellerWithToken(s());
      const product = await createProduct(s(), seller.token, { price: '700' });
      await call(s().client(), 'POST', '/v2/purchases', seller.token, { product_id: product.id, email: 'a@example.com' });
      await call(s().client(), 'POST', '/v2/purchases', seller.token, { product_id: product.id, email: 'b@example.com', price: '300' });
      const refunded = await call(s().client(), 'POST', '/v2/purchases', seller.token, { product_id: product.id, email: 'c@example.com' });
      await call(s().client(), 'PUT', `/v2/sales/${encodeURIComponent(refunded.body.sale.id)}/refund`, seller.token);
      const res = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(product.id)}`, seller.token, {}, 'query');
      assert.equal(res.body.product.sales_count, 2);
      assert.equal(res.body.product.sales_usd_cents, 1000);
      assert.equal(res.body.product.custom_delivery_url, null);
    });

    it('hides sales figures from a token without view_sales', async () => {
      const seller = await s().signUp();
      const { createApp, generateToken } = await import('../support/fixtures.js');
      const { application } = await createApp(seller.client);
      const editor = await generateToken(seller.client, application.id, { scopes: 'edit_products' });
      const product = await createProduct(s(), editor, {});
      const res = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(product.id)}`, editor, {}, 'query');
      assert.equal(res.status, 200);
      for (const key of ['sales_count', 'sales_usd_cents', 'custom_delivery_url']) assert.equal(key in res.body.product, false, key);
    });

    it('answers at the legacy /api/v2 path and with doubled slashes', async () => {
      const { token } = await sellerWithToken(s());
      const product = await createProduct(s(), token);
      for (const path of [`/api/v2/products/${encodeURIComponent(product.id)}`, `//v2//products/${encodeURIComponent(product.id)}`]) {
        const res = await call(s().client(), 'GET', path, token, {}, 'query');
        assert.equal(res.status, 200, path);
        assert.equal(res.body.product.id, product.id);
      }
    });

    it('makes GET /v2/user list live product permalinks (null before any product)', async () => {
      const { token } = await sellerWithToken(s());
      const before = await call(s().client(), 'GET', '/v2/user', token, {}, 'query');
      assert.equal(before.body.user.links, null);
      const kept = await createProduct(s(), token);
      const gone = await createProduct(s(), token);
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(gone.id)}`, token);
      const after = await call(s().client(), 'GET', '/v2/user', token, {}, 'query');
      assert.deepEqual(after.body.user.links, [permalinkOf(kept)]);
    });

    it('lists a physical product’s variants as skus, none for digital products', async () => {
      const { token } = await sellerWithToken(s());
      const digital = await createProduct(s(), token);
      const physical = await createProduct(s(), token, { require_shipping: 'true' });
      const category = await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(physical.id)}/variant_categories`, token, { title: 'Size' });
      const path = `/v2/products/${encodeURIComponent(physical.id)}/variant_categories/${encodeURIComponent(category.body.variant_category.id)}/variants`;
      await call(s().client(), 'POST', path, token, { name: 'Large', price_difference_cents: '200' });
      const skus = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(physical.id)}/skus`, token, {}, 'query');
      assert.equal(skus.status, 200);
      assert.deepEqual(skus.body.skus.map((v: { name: string; price_difference_cents: number }) => [v.name, v.price_difference_cents]), [['Large', 200]]);
      const none = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(digital.id)}/skus`, token, {}, 'json');
      assert.deepEqual(none.body.skus, []);
    });
    it("formats prices with Gumroad's suffixes and points short_url at the custom permalink", async () => {
      const { token } = await sellerWithToken(s());
      const cases: [Record<string, string>, string][] = [
        [{ price: '1999', customizable_price: 'true' }, '$19.99+'],
        [{ price: '500', subscription_duration: 'monthly' }, '$5 a month'],
        [{ price: '5000', subscription_duration: 'yearly', customizable_price: 'true' }, '$50+ a year'],
        [{ price: '1200', subscription_duration: 'quarterly' }, '$12 every 3 months'],
        [{ price: '99' }, '99¢'],
      ];
      for (const [params, expected] of cases) {
        const created = await createProduct(s(), token, params);
        const res = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(created.id)}`, token, {}, 'query');
        assert.equal(res.body.product.formatted_price, expected, JSON.stringify(params));
      }
      const custom = await createProduct(s(), token, { custom_permalink: `my-tool-${Date.now()}` });
      assert.equal(custom.short_url, `${s().url}/l/${custom.custom_permalink}`);
      const page = await s().client().get(new URL(custom.short_url).pathname);
      assert.equal(page.status, 200);
    });
  });

  describe('200 with success false', () => {
    it('answers "The product was not found." for an unknown id and for another seller’s product, never its data', async () => {
      const mine = await sellerWithToken(s());
      const theirs = await sellerWithToken(s());
      const secret = await createProduct(s(), theirs.token, { name: 'Their secret product' });
      for (const ref of ['nope', secret.id, permalinkOf(secret)]) {
        for (const path of [`/v2/products/${encodeURIComponent(ref)}`, `/v2/products/${encodeURIComponent(ref)}/skus`]) {
          const res = await call(s().client(), 'GET', path, mine.token, {}, 'query');
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
        }
      }
    });
  });

  describe('401', () => {
    it('needs a valid token', async () => {
      for (const token of [undefined, 'tsr_at_invalid']) {
        const res = await call(s().client(), 'GET', '/v2/products', token, {}, 'query');
        assert.equal(res.status, 401);
        assert.equal(res.body.success, false);
        assert.equal(res.body.message, 'The access token is invalid');
      }
    });
  });
});
