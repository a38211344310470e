import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOfferCode } from '../../src/catalog/offer-code-service.js';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { licensedProduct, purchase, verify } from './support/catalog.js';
import { alertOf, audited, auditCount, pageCsrf, productRow, reloadTwice } from './support/products.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const XSS = '<script>alert("x")</script>';

/** What the new-product form sends when every field is filled in. */
const FULL_FORM = {
  name: 'Pixel Packer',
  description: 'Packs pixels.\n\nFast.',
  price: '19.99',
  currency: 'eur',
  subscription_duration: 'monthly',
  customizable_price: 'true',
  suggested_price: '25',
  is_licensed: 'true',
  activation_limit: '3',
  license_file_ttl: '604800',
  license_file_email: 'true',
  custom_permalink: 'pixel-packer',
  max_purchase_count: '500',
  native_type: 'ebook',
  tags: 'Design, tools',
  custom_summary: 'Summary',
  custom_receipt: 'Thanks!',
  taxonomy_id: '12',
  require_shipping: 'true',
};

describeEachDialect('Dashboard: products by hand (create, edit, publish, delete)', (s) => {
  const settingsOf = (productId: string) =>
    s().ctx.db.selectFrom('product_license_settings').innerJoin('products', 'products.id', 'product_license_settings.product_id').selectAll('product_license_settings').where('products.external_id', '=', productId).executeTakeFirst();

  describe('GET /products/new, POST /products', () => {
    it('200 then 303: creates a draft with every setting, through the catalog service; a reload creates nothing more', async () => {
      const { client, user } = await s().signUp();
      const form = await client.get('/products/new');
      assert.equal(form.status, 200);
      assert.match(form.text, /<h1>New product<\/h1>/);
      const csrf = await pageCsrf(client, '/products/new');
      const res = await client.post('/products', { form: { _csrf: csrf, ...FULL_FORM } });
      const rows = await s().ctx.db.selectFrom('products').selectAll().where('seller_id', '=', user.id).execute();
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(res.headers.get('location'), `/products/${encodeURIComponent(row.external_id)}?saved=created`);
      assert.deepEqual(
        [row.name, row.description, row.price, row.currency, row.subscription_duration, row.customizable_price, row.suggested_price_cents, row.is_licensed, row.custom_permalink],
        ['Pixel Packer', 'Packs pixels.\n\nFast.', 1999, 'eur', 'monthly', 1, 2500, 1, 'pixel-packer'],
      );
      assert.deepEqual([row.max_purchase_count, row.native_type, row.tags, row.custom_summary, row.custom_receipt, row.taxonomy_id, row.require_shipping], [500, 'ebook', '["design","tools"]', 'Summary', 'Thanks!', '12', 1]);
      assert.equal(row.published, 0, 'without "publish it now" it is a draft');
      const settings = await settingsOf(row.external_id);
      assert.deepEqual([settings?.activation_limit, settings?.license_file_ttl, settings?.license_file_email], [3, 604800, 1]);
      const created = await audited(s(), user.id, 'product.created');
      assert.equal(created.length, 1);
      assert.equal(JSON.parse(created[0]!.metadata!).published, false);

      const page = await reloadTwice(s(), client, res, user.id);
      assert.match(page, /Product created\./);
      assert.equal((await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', user.id).execute()).length, 1, 'a reload creates no second product');
    });

    it('303: "publish it now" publishes; only a name is needed; its page sells it', async () => {
      const { client, user } = await s().signUp();
      const csrf = await pageCsrf(client, '/products/new');
      const res = await client.post('/products', { form: { _csrf: csrf, name: 'Tiny', price: '', currency: 'usd', publish: 'true' } });
      assert.equal(res.status, 303);
      const row = await s().ctx.db.selectFrom('products').selectAll().where('seller_id', '=', user.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.published, row.price, row.is_licensed], [1, 0, 0]);
      assert.equal((await s().client().get(`/l/${row.unique_permalink}`)).status, 200);
    });

    it('400: a bad price, a taken permalink, a blank name re-render the form with the input and a message; nothing is stored', async () => {
      const { client, user } = await s().signUp();
      await licensedProduct(s(), user.id).then((p) => s().ctx.db.updateTable('products').set({ custom_permalink: 'taken' }).where('external_id', '=', p.id).execute());
      const csrf = await pageCsrf(client, '/products/new');
      const before = await auditCount(s(), user.id);
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ name: 'Odd', price: '12.345', currency: 'usd' }, /Enter the price as an amount such as 9\.99, or 0 for free\./],
        [{ name: 'Cheap', price: '0.50', currency: 'usd' }, /Sorry, a product must be at least \$0\.99\./],
        [{ name: 'Clash', price: '5', currency: 'usd', custom_permalink: 'taken' }, /Custom permalink has already been taken\./],
        [{ name: '', price: '5', currency: 'usd' }, /Name can&#39;t be blank\.|Name can't be blank\./],
        [{ name: 'Seats', price: '5', currency: 'usd', activation_limit: 'lots' }, /The &#39;activation_limit&#39; parameter must be a whole number from 1 to 100000, or blank for unlimited\.|'activation_limit' parameter must be/],
        [{ name: 'Yen', price: '10.50', currency: 'jpy' }, /Enter the price as an amount such as 1000, or 0 for free\./],
      ];
      for (const [form, message] of cases) {
        const res = await client.post('/products', { form: { _csrf: csrf, ...form } });
        assert.equal(res.status, 400, JSON.stringify(form));
        assert.match(alertOf(res.text), message);
        if (form.name) assert.ok(res.text.includes(`value="${form.name}"`), 'the name typed is kept');
        if (form.price) assert.ok(res.text.includes(`value="${form.price}"`), 'the price typed is kept');
      }
      assert.equal((await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', user.id).execute()).length, 1, 'nothing was created');
      assert.equal(await auditCount(s(), user.id), before);
    });

    it('403: without the CSRF token nothing is created; logged out, the form sends to the login page', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/products', { form: { name: 'Forged' } });
      assert.equal(res.status, 403);
      assert.equal(await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', user.id).executeTakeFirst(), undefined);
      const anonymous = await s().client().get('/products/new');
      assert.equal(anonymous.status, 303);
      assert.equal(anonymous.headers.get('location'), '/login?next=%2Fproducts%2Fnew');
    });

    it('200: a <script> name is shown as text on the list, the product page and the edit form', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/products', { form: { _csrf: await pageCsrf(client, '/products/new'), name: XSS, price: '1' } });
      assert.equal(res.status, 303);
      const row = await s().ctx.db.selectFrom('products').selectAll().where('seller_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(row.name, XSS);
      for (const path of ['/products', `/products/${row.external_id}`, `/products/${row.external_id}/edit`, `/products/${row.external_id}/delete`]) {
        const page = await client.get(path);
        assert.equal(page.status, 200, path);
        assert.ok(!page.text.includes(XSS), `${path}: the name was rendered as markup`);
        assert.ok(page.text.includes('&lt;script>') || page.text.includes('&lt;script&gt;'), `${path}: the name is shown as text`);
      }
    });
  });

  describe('GET / POST /products/:id/edit', () => {
    it('200 then 303: the form shows the settings; saving sends only what changed, seat limit and file lifetime included', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const path = `/products/${encodeURIComponent(product.id)}/edit`;
      const form = await client.get(path);
      assert.equal(form.status, 200);
      assert.ok(form.text.includes('value="25.00"'), 'the price in dollars');
      assert.match(form.text, /<option value selected>Server default \(30 days\)<\/option>/);
      const csrf = await pageCsrf(client, path);
      const sent = {
        _csrf: csrf,
        name: 'Pro plugin 2',
        description: '',
        price: '30',
        currency: 'usd',
        subscription_duration: 'yearly',
        suggested_price: '',
        is_licensed: 'true',
        activation_limit: '2',
        license_file_ttl: '86400',
        custom_permalink: '',
        max_purchase_count: '',
        native_type: 'digital',
        tags: '',
        custom_summary: '',
        custom_receipt: '',
        taxonomy_id: '',
      };
      const res = await client.post(path, { form: sent });
      assert.equal(res.headers.get('location'), `/products/${encodeURIComponent(product.id)}?saved=saved`);
      const row = await productRow(s(), product.id);
      assert.deepEqual([row.name, row.price, row.subscription_duration, row.is_licensed], ['Pro plugin 2', 3000, 'yearly', 1]);
      const settings = await settingsOf(product.id);
      assert.deepEqual([settings?.activation_limit, settings?.license_file_ttl], [2, 86400]);
      const [updated] = await audited(s(), user.id, 'product.updated');
      assert.deepEqual(JSON.parse(updated!.metadata!).fields.sort(), ['activation_limit', 'license_file_ttl', 'name', 'price', 'subscription_duration']);
      const page = await reloadTwice(s(), client, res, user.id);
      assert.match(page, /Changes saved\./);
      assert.match(page, /seats 2 per key; license files valid 1 day/);

      // Unchecked boxes turn settings off; an empty seat limit is unlimited again.
      const off = await client.post(path, { form: { ...sent, is_licensed: '', activation_limit: '', license_file_ttl: '' } });
      assert.equal(off.status, 303);
      assert.equal((await productRow(s(), product.id)).is_licensed, 0);
      const cleared = await settingsOf(product.id);
      assert.deepEqual([cleared?.activation_limit, cleared?.license_file_ttl], [null, null]);
    });

    it('303: a form naming only some settings changes only those (the others, checkboxes included, stay)', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      await s().ctx.db.updateTable('products').set({ description: 'Keep me', customizable_price: 1 }).where('external_id', '=', product.id).execute();
      const path = `/products/${encodeURIComponent(product.id)}/edit`;
      const res = await client.post(path, { form: { _csrf: await pageCsrf(client, path), price: '12' } });
      assert.equal(res.status, 303);
      const row = await productRow(s(), product.id);
      assert.deepEqual([row.price, row.name, row.description, row.is_licensed, row.customizable_price], [1200, 'Pro plugin', 'Keep me', 1, 1]);
      const [updated] = await audited(s(), user.id, 'product.updated');
      assert.deepEqual(JSON.parse(updated!.metadata!).fields, ['price']);
    });

    it('400: a bad value re-renders the form with the input and the message; nothing changes', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const path = `/products/${encodeURIComponent(product.id)}/edit`;
      const csrf = await pageCsrf(client, path);
      const before = await auditCount(s(), user.id);
      const res = await client.post(path, { form: { _csrf: csrf, name: 'Renamed', price: '25.00', currency: 'usd', custom_permalink: 'no spaces allowed', is_licensed: 'true' } });
      assert.equal(res.status, 400);
      assert.match(alertOf(res.text), /Custom permalink may only contain letters, numbers, dashes and underscores\./);
      assert.ok(res.text.includes('value="no spaces allowed"') && res.text.includes('value="Renamed"'));
      assert.equal((await productRow(s(), product.id)).name, 'Pro plugin');
      assert.equal(await auditCount(s(), user.id), before);
    });

    it("404: another seller's product, and a deleted one, read as missing", async () => {
      const { user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const other = await s().signUp();
      assert.equal((await other.client.get(`/products/${encodeURIComponent(product.id)}/edit`)).status, 404);
      const res = await other.client.post(`/products/${encodeURIComponent(product.id)}/edit`, { form: { _csrf: await pageCsrf(other.client, '/products'), name: 'Mine now' } });
      assert.equal(res.status, 404);
      assert.match(res.text, /The product was not found\./);
      assert.equal((await productRow(s(), product.id)).name, 'Pro plugin');
      const mine = await s().signUp();
      const deleted = await licensedProduct(s(), mine.user.id, 'Gone');
      await s().ctx.db.updateTable('products').set({ deleted_at: Date.now() }).where('external_id', '=', deleted.id).execute();
      assert.equal((await mine.client.get(`/products/${encodeURIComponent(deleted.id)}/edit`)).status, 404);
    });
  });

  describe('POST /products/:id/publish and /unpublish', () => {
    it('303: unpublish takes the page off sale, publish puts it back; both audited, a reload repeats neither', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const row = await productRow(s(), product.id);
      const csrf = await pageCsrf(client, `/products/${encodeURIComponent(product.id)}`);
      const off = await client.post(`/products/${encodeURIComponent(product.id)}/unpublish`, { form: { _csrf: csrf } });
      assert.equal(off.headers.get('location'), `/products/${encodeURIComponent(product.id)}?saved=unpublished`);
      assert.equal((await productRow(s(), product.id)).published, 0);
      assert.equal((await s().client().get(`/l/${row.unique_permalink}`)).status, 404);
      assert.match(await reloadTwice(s(), client, off, user.id), /Unpublished: its page no longer sells it\./);
      const on = await client.post(`/products/${encodeURIComponent(product.id)}/publish`, { form: { _csrf: csrf } });
      assert.equal(on.status, 303);
      assert.equal((await productRow(s(), product.id)).published, 1);
      assert.equal((await s().client().get(`/l/${row.unique_permalink}`)).status, 200);
      await reloadTwice(s(), client, on, user.id);
      assert.equal((await audited(s(), user.id, 'product.unpublished')).length, 1);
      assert.equal((await audited(s(), user.id, 'product.published')).length, 1);
    });

    it('400: publishing is refused when an offer code would take the price below the minimum; the page says why', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const id = encodeURIComponent(product.id);
      const csrf = await pageCsrf(client, `/products/${id}`);
      await client.post(`/products/${id}/unpublish`, { form: { _csrf: csrf } });
      await createOfferCode(s().ctx, user.id, product.id, { name: 'HALF', amount_cents: '500' }, SYSTEM);
      // An unpublished product's price may go where the code would take it below $0.99.
      await s().ctx.db.updateTable('products').set({ price: 550 }).where('external_id', '=', product.id).execute();
      const res = await client.post(`/products/${id}/publish`, { form: { _csrf: csrf } });
      assert.equal(res.status, 400);
      assert.match(alertOf(res.text), /An existing discount code puts the price of this product below the \$0\.99 minimum after discount\./);
      assert.equal((await productRow(s(), product.id)).published, 0);
    });
  });

  describe('GET / POST /products/:id/delete', () => {
    it('asks first, naming the sales and keys it keeps; confirmed, deletes; the keys still verify; a second POST is 404', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const sale = await purchase(s(), user.id, product.id, uniqueEmail('buyer'));
      const id = encodeURIComponent(product.id);
      const csrf = await pageCsrf(client, `/products/${id}`);
      const page = await client.get(`/products/${id}`);
      assert.match(page.text, /data-confirm="Pro plugin leaves your products and its page stops selling at once; no purchase of it can be recorded any more\. Its 1 sale stays in your sales and 1 license key already sold keeps verifying/);

      const ask = await client.post(`/products/${id}/delete`, { form: { _csrf: csrf } });
      assert.equal(ask.status, 303);
      assert.equal(ask.headers.get('location'), `/products/${id}/delete`);
      const confirm = await client.get(ask.headers.get('location')!);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /<h1>Delete “Pro plugin”\?<\/h1>/);
      assert.match(confirm.text, /1 license key already sold keeps verifying/);
      assert.match(confirm.text, /name="confirmed" value="yes"/);
      assert.equal((await productRow(s(), product.id)).deleted_at, null, 'asking deletes nothing');

      const done = await client.post(`/products/${id}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), '/products?done=deleted');
      assert.notEqual((await productRow(s(), product.id)).deleted_at, null);
      assert.equal((await audited(s(), user.id, 'product.deleted')).length, 1);
      const list = await reloadTwice(s(), client, done, user.id);
      assert.match(list, /Product deleted\./);
      assert.ok(!list.includes(`href="/products/${id}"`), 'it left the list');
      assert.equal((await verify(s(), product.id, sale.license_key, false)).body.success, true, 'as the confirmation said, the key keeps verifying');
      const gone = await client.get(`/products/${id}`);
      assert.equal(gone.status, 200);
      assert.match(gone.text, /This product was deleted/);
      assert.ok(!gone.text.includes(`action="/products/${id}/edit"`));

      const again = await client.post(`/products/${id}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(again.status, 404);
      assert.equal((await audited(s(), user.id, 'product.deleted')).length, 1);
    });

    it("404: another seller's product cannot be deleted or even asked about", async () => {
      const { user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const other = await s().signUp();
      const id = encodeURIComponent(product.id);
      assert.equal((await other.client.get(`/products/${id}/delete`)).status, 404);
      const res = await other.client.post(`/products/${id}/delete`, { form: { _csrf: await pageCsrf(other.client, '/products'), confirmed: 'yes' } });
      assert.equal(res.status, 404);
      assert.equal((await productRow(s(), product.id)).deleted_at, null);
    });
  });
});
