import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from './helpers.js';

describeEachDialect('DELETE /v2/products/:id, PUT /v2/products/:id/enable and /disable', (s) => {
  const row = (id: string) => s().ctx.db.selectFrom('products').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();

  describe('200', () => {
    it('disables and enables from every encoding; the flag is stored and audited', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      for (const encoding of ENCODINGS) {
        const off = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}/disable`, token, {}, encoding);
        assert.equal(off.status, 200);
        assert.equal(off.body.product.published, false, encoding);
        assert.equal((await row(p.id)).published, 0);
        const on = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}/enable`, token, {}, encoding);
        assert.equal(on.body.product.published, true, encoding);
        assert.equal((await row(p.id)).published, 1);
      }
      assert.equal((await auditActions(s(), user.id, 'product.unpublished')).length, 4);
      assert.equal((await auditActions(s(), user.id, 'product.published')).length, 4);
    });

    it('soft-deletes: the answer is DELETED(product), the row stays with deleted_at, GET still finds it as deleted', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      const res = await s().client().delete(`/v2/products/${encodeURIComponent(p.id)}`, { query: { access_token: token } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true, message: 'The product was deleted successfully.' });
      assert.ok((await row(p.id)).deleted_at);
      const shown = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(p.id)}`, token, {}, 'query');
      assert.equal(shown.body.product.deleted, true);
      assert.equal(shown.body.product.published, false);
      assert.equal((await auditActions(s(), user.id, 'product.deleted')).length, 1);
    });
  });

  describe('200 with success false', () => {
    it('refuses to enable a product an existing discount code would take below $0.99', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1000' });
      await call(s().client(), 'POST', `/v2/products/${encodeURIComponent(p.id)}/offer_codes`, token, { name: 'BIG', amount_off: '500' });
      await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}/disable`, token);
      await s().ctx.db.updateTable('products').set({ price: 550 }).where('external_id', '=', p.id).execute();
      const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}/enable`, token);
      assert.deepEqual(res.body, {
        success: false,
        message: 'An existing discount code puts the price of this product below the $0.99 minimum after discount.',
      });
      assert.equal((await row(p.id)).published, 0);
    });

    it('refuses to enable a deleted product', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(p.id)}`, token);
      const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}/enable`, token);
      assert.equal(res.body.success, false);
      assert.equal((await row(p.id)).published, 1);
    });

    it('never touches another seller’s product', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token);
      for (const [method, suffix] of [['DELETE', ''], ['PUT', '/disable'], ['PUT', '/enable']] as const) {
        const res = await call(s().client(), method, `/v2/products/${encodeURIComponent(theirs.id)}${suffix}`, a.token);
        assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      }
      const r = await row(theirs.id);
      assert.equal(r.deleted_at, null);
      assert.equal(r.published, 1);
    });
  });
});
