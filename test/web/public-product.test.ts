import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { call, createProduct, permalinkOf } from '../catalog/helpers.js';
import { PNG } from './support/images.js';


describeEachDialect('GET /l/:permalink', (s) => {
  describe('200', () => {
    it('serves the public page of a product by unique or custom permalink (any case), escaped', async () => {
      const { token } = await sellerWithToken(s());
      const custom = `Tool-${Date.now()}`;
      const product = await createProduct(s(), token, { name: 'Pro <Tool> & "more"', price: '1999', customizable_price: 'true', description: '<script>alert(1)</script>', custom_permalink: custom });
      const row = await s().ctx.db.selectFrom('products').select('unique_permalink').where('external_id', '=', product.id).executeTakeFirstOrThrow();
      for (const path of [`/l/${row.unique_permalink}`, `/l/${custom}`, `/l/${custom.toLowerCase()}`]) {
        const res = await s().client().get(path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
        assert.ok(res.text.includes('Pro &lt;Tool> &amp; &quot;more&quot;') || res.text.includes('Pro &lt;Tool&gt; &amp; &quot;more&quot;'), res.text.slice(0, 400));
        assert.ok(res.text.includes('$19.99+'));
        assert.ok(!res.text.includes('<script>alert(1)</script>'));
        assert.ok(res.text.includes('&lt;script>alert(1)&lt;/script>') || res.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
        assert.ok(!res.text.includes('class="product-cover"'), 'no cover image without a cover');
      }
      assert.equal(product.short_url, `${s().url}/l/${custom}`);
    });

    it("shows the cover from Tessera's own /l/:permalink/cover, and links the seller's profile", async () => {
      const { token, user } = await sellerWithToken(s());
      const res = await s().client().post('/v2/products', { multipart: { access_token: token, name: 'Covered', price: '500', thumbnail: new Blob([PNG], { type: 'image/png' }) } });
      assert.equal(res.body.success, true, JSON.stringify(res.body));
      const product = res.body.product;
      const permalink = permalinkOf(product);
      const stored = await s().ctx.db.selectFrom('product_covers').innerJoin('products', 'products.id', 'product_covers.product_id').select(['product_covers.content', 'product_covers.updated_at']).where('products.external_id', '=', product.id).executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(stored.content), PNG);
      const coverPath = `/l/${permalink}/cover?v=${stored.updated_at}`;
      assert.equal(product.thumbnail_url, `${s().url}${coverPath}`);
      assert.equal(product.preview_url, product.thumbnail_url);

      const page = await s().client().get(`/l/${permalink}`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(`<img class="product-cover" src="${coverPath}" alt="Cover of Covered"`), page.text);
      assert.ok(!/src="https?:/.test(page.text), 'nothing is loaded from another host');
      const externalId = (await s().ctx.db.selectFrom('users').select('external_id').where('id', '=', user.id).executeTakeFirstOrThrow()).external_id;
      assert.ok(page.text.includes(`href="${s().url}/u/${encodeURIComponent(externalId)}"`));

      const cover = await s().client().get(coverPath);
      assert.equal(cover.status, 200);
      assert.equal(cover.headers.get('content-type'), 'image/png');
      assert.equal(cover.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(cover.bytes, PNG);
    });
  });

  describe('404', () => {
    it('answers 404 for an unknown, unpublished or deleted product', async () => {
      const { token } = await sellerWithToken(s());
      const hidden = await createProduct(s(), token);
      await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(hidden.id)}/disable`, token);
      const gone = await createProduct(s(), token);
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(gone.id)}`, token);
      for (const path of ['/l/nope-not-here', `/l/${permalinkOf(hidden)}`, `/l/${permalinkOf(gone)}`]) {
        const res = await s().client().get(path);
        assert.equal(res.status, 404, path);
      }
    });

    it('answers 404 for the cover of a product without one, or of an unpublished product', async () => {
      const { token } = await sellerWithToken(s());
      const bare = await createProduct(s(), token);
      assert.equal((await s().client().get(`/l/${permalinkOf(bare)}/cover`)).status, 404);
      const covered = await createProduct(s(), token, { thumbnail: PNG.toString('base64') });
      assert.equal((await s().client().get(`/l/${permalinkOf(covered)}/cover`)).status, 200);
      await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(covered.id)}/disable`, token);
      assert.equal((await s().client().get(`/l/${permalinkOf(covered)}/cover`)).status, 404);
    });
  });
});
