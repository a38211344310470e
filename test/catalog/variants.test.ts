import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from './helpers.js';

describeEachDialect('/v2/products/:product_id/variant_categories and their variants', (s) => {
  const categories = (id: string) => `/v2/products/${encodeURIComponent(id)}/variant_categories`;
  const variants = (id: string, category: string) => `${categories(id)}/${encodeURIComponent(category)}/variants`;

  describe('200', () => {
    it('creates, lists, shows, renames and deletes categories from every encoding', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      const ids: string[] = [];
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'POST', categories(p.id), token, { title: `Size ${encoding}` }, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body.variant_category).sort(), ['id', 'title']);
        ids.push(res.body.variant_category.id);
      }
      const list = await call(s().client(), 'GET', categories(p.id), token, {}, 'query');
      assert.deepEqual(list.body.variant_categories.map((c: { title: string }) => c.title), ENCODINGS.map((e) => `Size ${e}`));
      const renamed = await call(s().client(), 'PUT', `${categories(p.id)}/${encodeURIComponent(ids[0]!)}`, token, { title: 'Colour' }, 'json');
      assert.deepEqual(renamed.body.variant_category, { id: ids[0], title: 'Colour' });
      const shown = await call(s().client(), 'GET', `${categories(p.id)}/${encodeURIComponent(ids[0]!)}`, token, {}, 'query');
      assert.equal(shown.body.variant_category.title, 'Colour');
      const gone = await call(s().client(), 'DELETE', `${categories(p.id)}/${encodeURIComponent(ids[1]!)}`, token);
      assert.deepEqual(gone.body, { success: true, message: 'The variant_category was deleted successfully.' });
      const row = await s().ctx.db.selectFrom('variant_categories').selectAll().where('external_id', '=', ids[1]!).executeTakeFirstOrThrow();
      assert.ok(row.deleted_at);
      assert.equal((await call(s().client(), 'GET', categories(p.id), token, {}, 'query')).body.variant_categories.length, 3);
      assert.equal((await auditActions(s(), user.id, 'variant_category.created')).length, 4);
    });

    it('manages variants and shows them in the product object', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1000' });
      const category = (await call(s().client(), 'POST', categories(p.id), token, { title: 'Tier' })).body.variant_category;
      const path = variants(p.id, category.id);
      const created = await call(s().client(), 'POST', path, token, { name: 'Pro', price_difference_cents: '500', description: 'More', max_purchase_count: '7' }, 'multipart');
      assert.deepEqual({ ...created.body.variant, id: undefined }, { id: undefined, name: 'Pro', description: 'More', max_purchase_count: 7, price_difference_cents: 500 });
      const cheap = await call(s().client(), 'POST', path, token, { name: 'Lite', price_difference_cents: '-200' }, 'query');
      assert.equal(cheap.body.variant.price_difference_cents, -200);
      const updated = await call(s().client(), 'PUT', `${path}/${encodeURIComponent(created.body.variant.id)}`, token, { name: 'Pro+' }, 'json');
      assert.equal(updated.body.variant.name, 'Pro+');
      assert.equal(updated.body.variant.price_difference_cents, 500);
      const row = await s().ctx.db.selectFrom('variants').selectAll().where('external_id', '=', created.body.variant.id).executeTakeFirstOrThrow();
      assert.equal(row.name, 'Pro+');
      const list = await call(s().client(), 'GET', path, token, {}, 'form');
      assert.deepEqual(list.body.variants.map((v: { name: string }) => v.name), ['Pro+', 'Lite']);
      const product = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(p.id)}`, token, {}, 'query');
      assert.deepEqual(product.body.product.variants, [
        {
          title: 'Tier',
          options: [
            { name: 'Pro+', price_difference: 500, is_pay_what_you_want: false, recurrence_prices: null, url: null },
            { name: 'Lite', price_difference: -200, is_pay_what_you_want: false, recurrence_prices: null, url: null },
          ],
        },
      ]);
      const gone = await call(s().client(), 'DELETE', `${path}/${encodeURIComponent(cheap.body.variant.id)}`, token);
      assert.deepEqual(gone.body, { success: true, message: 'The variant was deleted successfully.' });
      const shown = await call(s().client(), 'GET', `${path}/${encodeURIComponent(cheap.body.variant.id)}`, token, {}, 'query');
      assert.deepEqual(shown.body, { success: false, message: 'The variant was not found.' });
    });
  });

  describe('200 with success false', () => {
    it('answers "The variant_category was not found." on every variants route for an unknown category (never a 500)', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      for (const [method, suffix] of [['GET', ''], ['POST', ''], ['GET', '/v1'], ['PUT', '/v1'], ['DELETE', '/v1']] as const) {
        const res = await call(s().client(), method, `${variants(p.id, 'unknown')}${suffix}`, token, { name: 'X' });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: false, message: 'The variant_category was not found.' });
      }
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await call(s().client(), method, `${categories(p.id)}/unknown`, token, { title: 'X' });
        assert.deepEqual(res.body, { success: false, message: 'The variant_category was not found.' });
      }
    });

    it('refuses blank titles and names and non-numeric price differences', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      assert.equal((await call(s().client(), 'POST', categories(p.id), token, { title: ' ' })).body.success, false);
      const category = (await call(s().client(), 'POST', categories(p.id), token, { title: 'T' })).body.variant_category;
      assert.equal((await call(s().client(), 'PUT', `${categories(p.id)}/${encodeURIComponent(category.id)}`, token, { title: '' })).body.success, false);
      for (const params of <Record<string, string>[]>[{ name: '' }, { name: 'A', price_difference_cents: 'ten' }, { name: 'A', max_purchase_count: '-1' }]) {
        const res = await call(s().client(), 'POST', variants(p.id, category.id), token, params);
        assert.equal(res.body.success, false, JSON.stringify(params));
      }
      assert.deepEqual((await call(s().client(), 'GET', variants(p.id, category.id), token, {}, 'query')).body.variants, []);
    });

    it('does not reach another seller’s categories through their product', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token);
      const category = (await call(s().client(), 'POST', categories(theirs.id), b.token, { title: 'Hidden' })).body.variant_category;
      const res = await call(s().client(), 'GET', `${categories(theirs.id)}/${encodeURIComponent(category.id)}`, a.token, {}, 'query');
      assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      const mine = await createProduct(s(), a.token);
      const cross = await call(s().client(), 'GET', `${categories(mine.id)}/${encodeURIComponent(category.id)}`, a.token, {}, 'query');
      assert.deepEqual(cross.body, { success: false, message: 'The variant_category was not found.' });
    });
  });
});
