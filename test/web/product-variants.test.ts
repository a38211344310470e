import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVariant, createVariantCategory } from '../../src/catalog/variant-service.js';
import { describeEachDialect } from '../support/harness.js';
import { licensedProduct } from './support/catalog.js';
import { alertOf, audited, auditCount, pageCsrf, reloadTwice } from './support/products.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const XSS = '<script>alert("x")</script>';

describeEachDialect('Dashboard: variant categories and their options', (s) => {
  async function seller() {
    const { client, user } = await s().signUp();
    const product = await licensedProduct(s(), user.id);
    const base = `/products/${encodeURIComponent(product.id)}`;
    return { client, user, product, base, csrf: await pageCsrf(client, base) };
  }
  const categoriesOf = (productId: string) =>
    s().ctx.db.selectFrom('variant_categories').innerJoin('products', 'products.id', 'variant_categories.product_id').selectAll('variant_categories').where('products.external_id', '=', productId).orderBy('variant_categories.created_at').execute();
  const optionsOf = (categoryExternalId: string) =>
    s().ctx.db.selectFrom('variants').innerJoin('variant_categories', 'variant_categories.id', 'variants.variant_category_id').selectAll('variants').where('variant_categories.external_id', '=', categoryExternalId).orderBy('variants.created_at').execute();

  describe('POST /products/:id/variant-categories', () => {
    it('303: adds a category (a <script> title shown as text); a reload adds no second one', async () => {
      const { client, user, product, base, csrf } = await seller();
      const res = await client.post(`${base}/variant-categories`, { form: { _csrf: csrf, title: XSS } });
      assert.equal(res.headers.get('location'), `${base}?saved=category-added#variants`);
      const page = await reloadTwice(s(), client, res, user.id);
      assert.match(page, /Variant category added\./);
      assert.ok(!page.includes(XSS) && page.includes('<h3 id="category-'), 'the title renders as text');
      const rows = await categoriesOf(product.id);
      assert.deepEqual(rows.map((r) => [r.title, r.deleted_at]), [[XSS, null]]);
      assert.equal((await audited(s(), user.id, 'variant_category.created')).length, 1);
    });

    it('400: a blank title re-renders the page with the message; nothing is stored', async () => {
      const { client, user, product, base, csrf } = await seller();
      const before = await auditCount(s(), user.id);
      const res = await client.post(`${base}/variant-categories`, { form: { _csrf: csrf, title: '   ' } });
      assert.equal(res.status, 400);
      assert.match(alertOf(res.text), /Title can&#39;t be blank\.|Title can't be blank\./);
      assert.equal((await categoriesOf(product.id)).length, 0);
      assert.equal(await auditCount(s(), user.id), before);
    });

    it("404: another seller's product", async () => {
      const { product } = await seller();
      const other = await s().signUp();
      const res = await other.client.post(`/products/${encodeURIComponent(product.id)}/variant-categories`, { form: { _csrf: await pageCsrf(other.client, '/products'), title: 'Size' } });
      assert.equal(res.status, 404);
      assert.equal((await categoriesOf(product.id)).length, 0);
    });
  });

  describe('POST /products/:id/variant-categories/:categoryId (rename) and …/delete', () => {
    it('303: renames; 400 keeps the typed title on a blank one', async () => {
      const { client, user, product, base, csrf } = await seller();
      const category = await createVariantCategory(s().ctx, user.id, product.id, 'Size', SYSTEM);
      const path = `${base}/variant-categories/${encodeURIComponent(category.id)}`;
      const res = await client.post(path, { form: { _csrf: csrf, title: 'Edition' } });
      assert.equal(res.headers.get('location'), `${base}?saved=category-renamed#variants`);
      assert.equal((await categoriesOf(product.id))[0]!.title, 'Edition');
      await reloadTwice(s(), client, res, user.id);
      const bad = await client.post(path, { form: { _csrf: csrf, title: '' } });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /<details class="row-edit" open>/, 'the rename form is open with its message');
      assert.equal((await categoriesOf(product.id))[0]!.title, 'Edition');
    });

    it('asks first, naming its options; confirmed, deletes; a second POST is 404', async () => {
      const { client, user, product, base, csrf } = await seller();
      const category = await createVariantCategory(s().ctx, user.id, product.id, 'Size', SYSTEM);
      await createVariant(s().ctx, user.id, product.id, category.id, { name: 'Small' }, SYSTEM);
      await createVariant(s().ctx, user.id, product.id, category.id, { name: 'Large', price_difference_cents: '500' }, SYSTEM);
      const path = `${base}/variant-categories/${encodeURIComponent(category.id)}/delete`;
      const ask = await client.post(path, { form: { _csrf: csrf } });
      assert.equal(ask.headers.get('location'), path);
      const confirm = await client.get(path);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /The category “Size” and its 2 options leave Pro plugin: buyers can no longer choose them\./);
      assert.equal((await categoriesOf(product.id))[0]!.deleted_at, null, 'asking deletes nothing');
      const done = await client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${base}?saved=category-deleted#variants`);
      assert.notEqual((await categoriesOf(product.id))[0]!.deleted_at, null);
      await reloadTwice(s(), client, done, user.id);
      assert.equal((await client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } })).status, 404);
      assert.equal((await audited(s(), user.id, 'variant_category.deleted')).length, 1);
    });
  });

  describe('POST …/variant-categories/:categoryId/variants (options)', () => {
    it('303: adds an option with a price difference in dollars (negative too) and a limit; edits it; a reload repeats nothing', async () => {
      const { client, user, product, base, csrf } = await seller();
      const category = await createVariantCategory(s().ctx, user.id, product.id, 'Size', SYSTEM);
      const options = `${base}/variant-categories/${encodeURIComponent(category.id)}/variants`;
      const add = await client.post(options, { form: { _csrf: csrf, name: 'Large', price_difference: '5.50', max_purchase_count: '10', description: 'Big' } });
      assert.equal(add.headers.get('location'), `${base}?saved=option-added#variants`);
      const [row] = await optionsOf(category.id);
      assert.deepEqual([row!.name, row!.price_difference_cents, row!.max_purchase_count, row!.description], ['Large', 550, 10, 'Big']);
      const page = await reloadTwice(s(), client, add, user.id);
      assert.match(page, /\+\$5\.50/);
      assert.equal((await optionsOf(category.id)).length, 1, 'a reload adds no second option');

      const edit = await client.post(`${options}/${encodeURIComponent(row!.external_id)}`, { form: { _csrf: csrf, name: 'Student', price_difference: '-2', max_purchase_count: '', description: '' } });
      assert.equal(edit.headers.get('location'), `${base}?saved=option-saved#variants`);
      const [changed] = await optionsOf(category.id);
      assert.deepEqual([changed!.name, changed!.price_difference_cents, changed!.max_purchase_count, changed!.description], ['Student', -200, null, '']);
      assert.match(await reloadTwice(s(), client, edit, user.id), /−\$2/);
    });

    it('400: a blank name and a price difference that is not an amount re-render with the input; nothing stored', async () => {
      const { client, user, product, base, csrf } = await seller();
      const category = await createVariantCategory(s().ctx, user.id, product.id, 'Size', SYSTEM);
      const options = `${base}/variant-categories/${encodeURIComponent(category.id)}/variants`;
      const blank = await client.post(options, { form: { _csrf: csrf, name: '', price_difference: '1' } });
      assert.equal(blank.status, 400);
      assert.match(alertOf(blank.text), /Name can&#39;t be blank\.|Name can't be blank\./);
      const bad = await client.post(options, { form: { _csrf: csrf, name: 'Huge', price_difference: 'ten dollars' } });
      assert.equal(bad.status, 400);
      assert.match(alertOf(bad.text), /Enter the price difference as an amount such as 5, 4\.99 or -2\./);
      assert.ok(bad.text.includes('value="ten dollars"') && bad.text.includes('value="Huge"'));
      assert.equal((await optionsOf(category.id)).length, 0);
    });

    it('deleting an option asks first, then removes only it; 404 for an unknown category', async () => {
      const { client, user, product, base, csrf } = await seller();
      const category = await createVariantCategory(s().ctx, user.id, product.id, 'Size', SYSTEM);
      const small = await createVariant(s().ctx, user.id, product.id, category.id, { name: 'Small' }, SYSTEM);
      await createVariant(s().ctx, user.id, product.id, category.id, { name: 'Large' }, SYSTEM);
      const path = `${base}/variant-categories/${encodeURIComponent(category.id)}/variants/${encodeURIComponent(small.id)}/delete`;
      const confirm = await client.get(path);
      assert.match(confirm.text, /The option “Small” of “Size” leaves Pro plugin/);
      const ask = await client.post(path, { form: { _csrf: csrf } });
      assert.equal(ask.headers.get('location'), path);
      assert.equal((await optionsOf(category.id)).filter((o) => o.deleted_at === null).length, 2);
      const done = await client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${base}?saved=option-deleted#variants`);
      assert.deepEqual((await optionsOf(category.id)).filter((o) => o.deleted_at === null).map((o) => o.name), ['Large']);
      await reloadTwice(s(), client, done, user.id);
      const unknown = await client.post(`${base}/variant-categories/nope/variants`, { form: { _csrf: csrf, name: 'X' } });
      assert.equal(unknown.status, 404);
      assert.match(unknown.text, /The variant_category was not found\./);
    });
  });
});
