import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { call, createProduct, permalinkOf } from '../catalog/helpers.js';

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
      }
      assert.equal(product.short_url, `${s().url}/l/${custom}`);
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
  });
});
