import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from './helpers.js';

const productRow = (s: () => import('../support/harness.js').TestServer, externalId: string) =>
  s().ctx.db.selectFrom('products').selectAll().where('external_id', '=', externalId).executeTakeFirstOrThrow();

describeEachDialect('POST /v2/products and PUT /v2/products/:id', (s) => {
  describe('200', () => {
    it('creates a product from every parameter encoding, stores it and audits it', async () => {
      const { token, user } = await sellerWithToken(s());
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'POST', '/v2/products', token, { name: `Course ${encoding}`, price: '1999', currency: 'EUR', is_licensed: 'true' }, encoding);
        assert.equal(res.status, 200, encoding);
        assert.equal(res.body.success, true, JSON.stringify(res.body));
        const p = res.body.product;
        assert.equal(p.name, `Course ${encoding}`);
        assert.equal(p.price, 1999);
        assert.equal(p.currency, 'eur');
        assert.equal(p.formatted_price, '€19.99');
        assert.equal(p.is_licensed, true);
        const row = await productRow(s, p.id);
        assert.equal(row.seller_id, user.id);
        assert.equal(row.price, 1999);
        assert.equal(row.is_licensed, 1);
        assert.match(row.unique_permalink, /^[a-z]{6}$/);
      }
      const audit = await auditActions(s(), user.id, 'product.created');
      assert.equal(audit.length, 4);
    });

    it('takes every decision-7 setting, including tags as repeated tags[] keys and as a JSON array', async () => {
      const { token } = await sellerWithToken(s());
      const form = await s().client().post('/v2/products', {
        raw: {
          type: 'application/x-www-form-urlencoded',
          body: `access_token=${token}&name=Club&price=500&description=Hello&custom_permalink=My-Club&max_purchase_count=10&subscription_duration=monthly&customizable_price=true&tags[]=One&tags[]=two`,
        },
      });
      const p = form.body.product;
      assert.equal(p.custom_permalink, 'My-Club');
      assert.equal(p.description, 'Hello');
      assert.equal(p.max_purchase_count, 10);
      assert.equal(p.subscription_duration, 'monthly');
      assert.equal(p.customizable_price, true);
      assert.deepEqual(p.tags, ['one', 'two']);
      const json = await call(s().client(), 'POST', '/v2/products', token, { name: 'J', price: '0' }, 'json');
      assert.equal(json.body.product.formatted_price, '$0');
      const arr = await s().client().post('/v2/products', { json: { access_token: token, name: 'T', tags: ['x', 'y'], unknown_param: 1 } });
      assert.deepEqual(arr.body.product.tags, ['x', 'y']);
    });

    it('changes only the parameters sent, audits the fields, and finds the product by permalink too', async () => {
      const { token, user } = await sellerWithToken(s());
      const created = await createProduct(s(), token, { name: 'Old', price: '1000', description: 'Keep me' });
      for (const encoding of ENCODINGS) {
        const price = String(1100 + ENCODINGS.indexOf(encoding));
        const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(created.id)}`, token, { price }, encoding);
        assert.equal(res.status, 200);
        assert.equal(res.body.product.price, Number(price), encoding);
        assert.equal(res.body.product.description, 'Keep me');
      }
      const row = await productRow(s, created.id);
      const renamed = await call(s().client(), 'PUT', `/v2/products/${row.unique_permalink}`, token, { name: 'New' });
      assert.equal(renamed.body.product.name, 'New');
      assert.equal((await productRow(s, created.id)).name, 'New');
      const audit = await auditActions(s(), user.id, 'product.updated');
      assert.equal(audit.length, 5);
      assert.deepEqual(JSON.parse(audit.at(-1)!.metadata!).fields, ['name']);
    });

    it("honours Gumroad's price_currency_type, suggested_price_cents, custom_summary, custom_receipt, native_type and taxonomy_id (decision 13)", async () => {
      const { token } = await sellerWithToken(s());
      const params = { name: 'Course', price: '1000', price_currency_type: 'EUR', suggested_price_cents: '2500', customizable_price: 'true', custom_summary: 'You get 12 videos', custom_receipt: 'Thanks! Start here.', native_type: 'course', taxonomy_id: '1234' };
      const created = await call(s().client(), 'POST', '/v2/products', token, params);
      assert.equal(created.body.success, true, JSON.stringify(created.body));
      const p = created.body.product;
      assert.equal(p.currency, 'eur');
      assert.equal(p.price_currency_type, 'eur');
      assert.equal(p.suggested_price_cents, 2500);
      assert.equal(p.custom_summary, 'You get 12 videos');
      assert.equal(p.custom_receipt, 'Thanks! Start here.');
      assert.equal(p.native_type, 'course');
      assert.equal(p.taxonomy_id, '1234');
      const row = await productRow(s, p.id);
      assert.equal(row.currency, 'eur');
      assert.equal(Number(row.suggested_price_cents), 2500);
      assert.equal(row.custom_summary, 'You get 12 videos');
      assert.equal(row.custom_receipt, 'Thanks! Start here.');
      assert.equal(row.native_type, 'course');
      assert.equal(row.taxonomy_id, '1234');
      const updated = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}`, token, { custom_summary: '', native_type: 'ebook' });
      assert.equal(updated.body.product.custom_summary, null);
      assert.equal(updated.body.product.native_type, 'ebook');
      assert.equal(updated.body.product.custom_receipt, 'Thanks! Start here.');
      assert.equal((await productRow(s, p.id)).native_type, 'ebook');
    });

    it('lets another seller reuse a custom permalink; the same seller may not, in any case', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      await createProduct(s(), a.token, { custom_permalink: 'shared' });
      await createProduct(s(), b.token, { custom_permalink: 'shared' });
      const dup = await call(s().client(), 'POST', '/v2/products', a.token, { name: 'X', custom_permalink: 'SHARED' });
      assert.deepEqual(dup.body, { success: false, message: 'Custom permalink has already been taken.' });
    });
  });

  describe('200 with success false', () => {
    it('refuses bad values with a sentence and stores nothing', async () => {
      const { token, user } = await sellerWithToken(s());
      const cases: [Record<string, string>, RegExp][] = [
        [{ price: '100' }, /Name can't be blank/],
        [{ name: '   ' }, /Name can't be blank/],
        [{ name: 'x'.repeat(300) }, /'name' parameter is too long/],
        [{ name: 'A', price: 'abc' }, /'price' parameter must be a whole number/],
        [{ name: 'A', price: '-5' }, /'price' parameter must be a whole number/],
        [{ name: 'A', price: '1e309' }, /'price' parameter must be a whole number/],
        [{ name: 'A', price: '50' }, /^Sorry, a product must be at least \$0\.99\.$/],
        [{ name: 'A', currency: 'xyz' }, /currency 'xyz' is not supported/],
        [{ name: 'A', subscription_duration: 'weekly' }, /subscription_duration/],
        [{ name: 'A', is_licensed: 'maybe' }, /'is_licensed' parameter must be true or false/],
        [{ name: 'A', max_purchase_count: '1.5' }, /max_purchase_count/],
        [{ name: 'A', custom_permalink: 'has space' }, /Custom permalink may only contain/],
        [{ name: 'A', description: 'd'.repeat(100_001) }, /'description' parameter is too long/],
      ];
      for (const [params, message] of cases) {
        const res = await call(s().client(), 'POST', '/v2/products', token, params, 'json');
        assert.equal(res.status, 200, JSON.stringify(params).slice(0, 80));
        assert.equal(res.body.success, false);
        assert.match(res.body.message, message);
      }
      const rows = await s().ctx.db.selectFrom('products').select('id').where('seller_id', '=', user.id).execute();
      assert.equal(rows.length, 0);
    });

    it('refuses a Gumroad parameter Tessera cannot honour, naming it, and changes nothing', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { name: 'Plain', price: '1000' });
      for (const [name, value] of [['rental_price_cents', '500'], ['preview_url', 'https://example.com/a.png'], ['file', 'x']] as const) {
        const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}`, token, { name: 'Renamed', [name]: value });
        assert.equal(res.status, 200);
        assert.equal(res.body.success, false);
        assert.match(res.body.message, new RegExp(`'${name}'`));
      }
      for (const params of [{ native_type: 'spaceship' }, { taxonomy_id: 'abc' }, { suggested_price_cents: '-1' }, { currency: 'usd', price_currency_type: 'eur' }] as Record<string, string>[]) {
        const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}`, token, { name: 'Renamed', ...params });
        assert.equal(res.body.success, false, JSON.stringify(params));
      }
      const created = await call(s().client(), 'POST', '/v2/products', token, { name: 'With file', file: 'x' });
      assert.equal(created.body.success, false);
      const row = await productRow(s, p.id);
      assert.equal(row.name, 'Plain');
      assert.equal(row.native_type, 'digital');
    });

    it('refuses a bad update without changing anything', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { name: 'Same', price: '1000' });
      const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(p.id)}`, token, { name: 'Changed', price: 'ten' });
      assert.equal(res.body.success, false);
      const row = await productRow(s, p.id);
      assert.equal(row.name, 'Same');
      assert.equal(row.price, 1000);
    });

    it('does not update another seller’s product', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token, { name: 'Theirs' });
      const res = await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(theirs.id)}`, a.token, { name: 'Mine now' });
      assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      assert.equal((await productRow(s, theirs.id)).name, 'Theirs');
    });
  });

  describe('400', () => {
    it('answers a JSON object where a string belongs with a clear 400, never a 500', async () => {
      const { token } = await sellerWithToken(s());
      const res = await s().client().post('/v2/products', { json: { access_token: token, name: { evil: true } } });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
      assert.match(res.body.message, /name/);
    });
  });
});
