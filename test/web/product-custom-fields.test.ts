import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCustomField } from '../../src/catalog/custom-field-service.js';
import { describeEachDialect } from '../support/harness.js';
import { licensedProduct } from './support/catalog.js';
import { alertOf, audited, auditCount, pageCsrf, reloadTwice } from './support/products.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const XSS = '<script>alert("x")</script>';

describeEachDialect('Dashboard: checkout fields (custom fields) of a product', (s) => {
  async function seller() {
    const { client, user } = await s().signUp();
    const product = await licensedProduct(s(), user.id);
    const base = `/products/${encodeURIComponent(product.id)}`;
    return { client, user, product, base, csrf: await pageCsrf(client, base) };
  }
  const fieldsOf = (userId: string) => s().ctx.db.selectFrom('custom_fields').selectAll().where('seller_id', '=', userId).orderBy('created_at').execute();

  describe('POST /products/:id/custom-fields', () => {
    it('303: adds a required field and a terms field (names as text); a reload adds nothing', async () => {
      const { client, user, base, csrf } = await seller();
      const res = await client.post(`${base}/custom-fields`, { form: { _csrf: csrf, name: XSS, type: 'text', required: 'true' } });
      assert.equal(res.headers.get('location'), `${base}?saved=field-added#custom-fields`);
      const page = await reloadTwice(s(), client, res, user.id);
      assert.match(page, /Checkout field added\./);
      assert.ok(!page.includes(XSS) && page.includes('&lt;script>'), 'the field name renders as text');
      const terms = await client.post(`${base}/custom-fields`, { form: { _csrf: csrf, name: 'https://example.com/terms', type: 'terms' } });
      assert.equal(terms.status, 303);
      assert.deepEqual((await fieldsOf(user.id)).map((f) => [f.name, f.type, f.required]), [
        [XSS, 'text', 1],
        ['https://example.com/terms', 'terms', 0],
      ]);
      assert.equal((await audited(s(), user.id, 'custom_field.created')).length, 2);
    });

    it('400: a blank name, a terms field without its URL, a duplicate, an unknown type, each said in words', async () => {
      const { client, user, base, csrf } = await seller();
      await client.post(`${base}/custom-fields`, { form: { _csrf: csrf, name: 'Company', type: 'text' } });
      const before = await auditCount(s(), user.id);
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ name: '', type: 'text' }, /Enter the field&#39;s name\.|Enter the field's name\./],
        [{ name: 'Our terms', type: 'terms' }, /A terms field is named by the web address of your terms, starting with https:\/\/\./],
        [{ name: 'Company', type: 'text' }, /This product already asks for “Company”\./],
        [{ name: 'Shoe size', type: 'dropdown' }, /Choose one of the field types of the list\./],
      ];
      for (const [form, message] of cases) {
        const res = await client.post(`${base}/custom-fields`, { form: { _csrf: csrf, ...form } });
        assert.equal(res.status, 400, JSON.stringify(form));
        assert.match(alertOf(res.text), message);
        if (form.name) assert.ok(res.text.includes(`value="${form.name}"`), 'the name typed is kept');
      }
      assert.deepEqual((await fieldsOf(user.id)).map((f) => f.name), ['Company']);
      assert.equal(await auditCount(s(), user.id), before);
    });
  });

  describe('POST /products/:id/custom-fields/required and …/delete', () => {
    it('303: makes a field required, then optional again', async () => {
      const { client, user, product, base, csrf } = await seller();
      await createCustomField(s().ctx, user.id, product.id, { name: 'VAT number' }, SYSTEM);
      const on = await client.post(`${base}/custom-fields/required`, { form: { _csrf: csrf, name: 'VAT number', required: 'true' } });
      assert.equal(on.headers.get('location'), `${base}?saved=field-saved#custom-fields`);
      assert.equal((await fieldsOf(user.id))[0]!.required, 1);
      assert.match(await reloadTwice(s(), client, on, user.id), /Make optional/);
      await client.post(`${base}/custom-fields/required`, { form: { _csrf: csrf, name: 'VAT number', required: 'false' } });
      assert.equal((await fieldsOf(user.id))[0]!.required, 0);
      assert.equal((await client.post(`${base}/custom-fields/required`, { form: { _csrf: csrf, name: 'Nope', required: 'true' } })).status, 404);
    });

    it('asks first; a field shared with another product is only detached from this one', async () => {
      const { client, user, product, base, csrf } = await seller();
      const other = await licensedProduct(s(), user.id, 'Other plugin');
      await createCustomField(s().ctx, user.id, product.id, { name: 'Company' }, SYSTEM);
      const field = (await fieldsOf(user.id))[0]!;
      await s().ctx.db.insertInto('product_custom_fields').values({ product_id: (await s().ctx.db.selectFrom('products').select('id').where('external_id', '=', other.id).executeTakeFirstOrThrow()).id, custom_field_id: field.id }).execute();

      const ask = await client.post(`${base}/custom-fields/delete`, { form: { _csrf: csrf, name: 'Company' } });
      assert.equal(ask.headers.get('location'), `${base}/custom-fields/delete?name=Company`);
      const confirm = await client.get(ask.headers.get('location')!);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /The checkout of Pro plugin stops asking for “Company”; answers already given stay on their sales\. It stays on your 1 other product\./);
      assert.match(confirm.text, /name="name" value="Company"/);
      const done = await client.post(`${base}/custom-fields/delete`, { form: { _csrf: csrf, name: 'Company', confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${base}?saved=field-deleted#custom-fields`);
      await reloadTwice(s(), client, done, user.id);
      assert.equal((await fieldsOf(user.id)).length, 1, 'the field stays for the other product');
      assert.equal((await audited(s(), user.id, 'custom_field.detached')).length, 1);
      assert.equal((await client.post(`${base}/custom-fields/delete`, { form: { _csrf: csrf, name: 'Company', confirmed: 'yes' } })).status, 404);
    });

    it("404: another seller's field cannot be changed or removed", async () => {
      const { user, product } = await seller();
      await createCustomField(s().ctx, user.id, product.id, { name: 'Company' }, SYSTEM);
      const other = await s().signUp();
      const csrf = await pageCsrf(other.client, '/products');
      const base = `/products/${encodeURIComponent(product.id)}/custom-fields`;
      assert.equal((await other.client.post(`${base}/required`, { form: { _csrf: csrf, name: 'Company', required: 'true' } })).status, 404);
      assert.equal((await other.client.post(`${base}/delete`, { form: { _csrf: csrf, name: 'Company', confirmed: 'yes' } })).status, 404);
      assert.equal((await other.client.get(`${base}/delete?name=Company`)).status, 404);
      assert.deepEqual((await fieldsOf(user.id)).map((f) => f.required), [0]);
    });
  });
});
