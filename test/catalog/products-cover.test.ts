import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { PNG } from '../web/support/images.js';
import { auditActions, call, createProduct } from './helpers.js';

const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20)]);

describeEachDialect('thumbnail on POST and PUT /v2/products', (s) => {
  const coverOf = (externalId: string) =>
    s().ctx.db.selectFrom('product_covers').innerJoin('products', 'products.id', 'product_covers.product_id').select(['product_covers.content', 'product_covers.content_type', 'product_covers.updated_at']).where('products.external_id', '=', externalId).executeTakeFirst();

  describe('200 success', () => {
    it('sets a cover from base64, replaces it from a multipart file, and removes it with an empty value', async () => {
      const { token, user } = await sellerWithToken(s());
      const product = await createProduct(s(), token, { thumbnail: `data:image/png;base64,${PNG.toString('base64')}` });
      const first = await coverOf(product.id);
      assert.deepEqual(Buffer.from(first!.content), PNG);
      assert.equal(first!.content_type, 'image/png');
      assert.match((product as unknown as { thumbnail_url: string }).thumbnail_url, new RegExp(`/cover\\?v=${first!.updated_at}$`));

      await new Promise((r) => setTimeout(r, 2)); // a later updated_at: the cover URL must change
      const replaced = await s().client().put(`/v2/products/${encodeURIComponent(product.id)}`, { multipart: { access_token: token, thumbnail: new Blob([GIF], { type: 'image/gif' }) } });
      assert.equal(replaced.body.success, true, JSON.stringify(replaced.body));
      const second = await coverOf(product.id);
      assert.equal(second!.content_type, 'image/gif');
      assert.notEqual(replaced.body.product.thumbnail_url, (product as unknown as { thumbnail_url: string }).thumbnail_url);
      const read = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(product.id)}`, token);
      assert.equal(read.body.product.thumbnail_url, replaced.body.product.thumbnail_url);
      assert.equal(read.body.product.preview_url, replaced.body.product.thumbnail_url);

      const removed = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(product.id)}`, token, { thumbnail: '' });
      assert.equal(removed.body.success, true);
      assert.equal(removed.body.product.thumbnail_url, null);
      assert.equal(removed.body.product.preview_url, null);
      assert.equal(await coverOf(product.id), undefined);
      const audits = await auditActions(s(), user.id, 'product.updated');
      assert.ok(audits.every((a) => JSON.parse(a.metadata!).fields.includes('thumbnail')));
    });
  });

  describe('200 FAIL', () => {
    it('refuses what is not a PNG, JPEG, GIF or WebP image, bad base64 and an image over 512 KiB, changing nothing', async () => {
      const { token } = await sellerWithToken(s());
      const product = await createProduct(s(), token, { thumbnail: PNG.toString('base64') });
      for (const [thumbnail, message] of [
        [Buffer.from('<svg onload="alert(1)"></svg>').toString('base64'), "The 'thumbnail' image must be a PNG, JPEG, GIF or WebP file."],
        [Buffer.from('<html><script>x</script>').toString('base64'), "The 'thumbnail' image must be a PNG, JPEG, GIF or WebP file."],
        ['not base64 at all!', "The 'thumbnail' parameter must be an image file, or its base64."],
        [Buffer.concat([PNG, Buffer.alloc(512 * 1024)]).toString('base64'), "The 'thumbnail' image must be at most 512 KiB."],
      ]) {
        const res = await s().client().put(`/v2/products/${encodeURIComponent(product.id)}`, { json: { access_token: token, thumbnail, name: 'Renamed' } });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: false, message });
      }
      assert.deepEqual(Buffer.from((await coverOf(product.id))!.content), PNG);
      const read = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(product.id)}`, token);
      assert.equal(read.body.product.name, 'Widget', 'a refused cover changes nothing else either');

      const before = await s().ctx.db.selectFrom('products').select('id').execute();
      const created = await call(s().client(), 'POST', '/v2/products', token, { name: 'No', thumbnail: Buffer.from('GIF00a').toString('base64') });
      assert.equal(created.body.success, false);
      assert.equal((await s().ctx.db.selectFrom('products').select('id').execute()).length, before.length);
    });
  });
});
