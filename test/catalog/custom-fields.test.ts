import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from './helpers.js';

describeEachDialect('/v2/products/:product_id/custom_fields', (s) => {
  const base = (id: string) => `/v2/products/${encodeURIComponent(id)}/custom_fields`;

  describe('200', () => {
    it('creates fields from every encoding (name, or legacy url/label) and lists them', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'POST', base(p.id), token, { name: `Company ${encoding}`, required: 'true' }, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual({ ...res.body.custom_field, id: undefined }, {
          id: undefined,
          type: 'text',
          name: `Company ${encoding}`,
          required: true,
          global: false,
          collect_per_product: false,
          products: [p.id],
        });
      }
      const label = await call(s().client(), 'POST', base(p.id), token, { label: 'Nickname' });
      assert.equal(label.body.custom_field.name, 'Nickname');
      assert.equal(label.body.custom_field.required, false);
      const terms = await call(s().client(), 'POST', base(p.id), token, { url: 'https://example.com/terms', type: 'terms' });
      assert.equal(terms.body.custom_field.type, 'terms');
      const list = await call(s().client(), 'GET', base(p.id), token, {}, 'query');
      assert.equal(list.body.custom_fields.length, 6);
      const product = await call(s().client(), 'GET', `/v2/products/${encodeURIComponent(p.id)}`, token, {}, 'query');
      assert.deepEqual(product.body.product.custom_fields[4], { id: label.body.custom_field.id, type: 'text', name: 'Nickname', required: false, collect_per_product: false });
      assert.equal((await auditActions(s(), user.id, 'custom_field.created')).length, 6);
    });

    it('updates `required` by URL-encoded name and deletes the field', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      await call(s().client(), 'POST', base(p.id), token, { name: 'Your name & role' });
      const path = `${base(p.id)}/${encodeURIComponent('Your name & role')}`;
      const updated = await call(s().client(), 'PUT', path, token, { required: 'true' }, 'json');
      assert.equal(updated.body.custom_field.required, true);
      const unchanged = await call(s().client(), 'PUT', path, token, {}, 'query');
      assert.equal(unchanged.body.custom_field.required, true);
      const row = await s().ctx.db.selectFrom('custom_fields').selectAll().where('name', '=', 'Your name & role').executeTakeFirstOrThrow();
      assert.equal(row.required, 1);
      const gone = await call(s().client(), 'DELETE', path, token);
      assert.deepEqual(gone.body, { success: true, message: 'The custom_field was deleted successfully.' });
      assert.equal(await s().ctx.db.selectFrom('custom_fields').select('id').where('id', '=', row.id).executeTakeFirst(), undefined);
    });

    it('finds a field by its name in any case, and refuses a duplicate differing only in case', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      await call(s().client(), 'POST', base(p.id), token, { name: 'Company' });
      const updated = await call(s().client(), 'PUT', `${base(p.id)}/COMPANY`, token, { required: 'true' }, 'form');
      assert.equal(updated.body.success, true, JSON.stringify(updated.body));
      assert.equal(updated.body.custom_field.name, 'Company');
      const row = await s().ctx.db.selectFrom('custom_fields').selectAll().where('name', '=', 'Company').executeTakeFirstOrThrow();
      assert.equal(row.required, 1);
      const twin = await call(s().client(), 'POST', base(p.id), token, { name: 'company' });
      assert.equal(twin.body.success, false);
      const gone = await call(s().client(), 'DELETE', `${base(p.id)}/company`, token);
      assert.equal(gone.body.success, true);
      assert.equal(await s().ctx.db.selectFrom('custom_fields').select('id').where('id', '=', row.id).executeTakeFirst(), undefined);
    });

    it('detaches a field shared by several products instead of deleting it', async () => {
      const { token } = await sellerWithToken(s());
      const a = await createProduct(s(), token);
      const b = await createProduct(s(), token);
      const field = (await call(s().client(), 'POST', base(a.id), token, { name: 'Shared' })).body.custom_field;
      const row = await s().ctx.db.selectFrom('custom_fields').selectAll().where('external_id', '=', field.id).executeTakeFirstOrThrow();
      const productB = await s().ctx.db.selectFrom('products').select('id').where('external_id', '=', b.id).executeTakeFirstOrThrow();
      await s().ctx.db.insertInto('product_custom_fields').values({ product_id: productB.id, custom_field_id: row.id }).execute();
      const gone = await call(s().client(), 'DELETE', `${base(a.id)}/Shared`, token);
      assert.equal(gone.body.success, true);
      assert.deepEqual((await call(s().client(), 'GET', base(a.id), token, {}, 'query')).body.custom_fields, []);
      const onB = (await call(s().client(), 'GET', base(b.id), token, {}, 'query')).body.custom_fields;
      assert.deepEqual(onB.map((f: { name: string; products: string[] }) => [f.name, f.products]), [['Shared', [b.id]]]);
    });
  });

  describe('200 with success false', () => {
    it('answers "The custom_field was unable to be created." for a missing name, a bad type, a terms field without URL, or a duplicate', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      await call(s().client(), 'POST', base(p.id), token, { name: 'Dup' });
      for (const params of <Record<string, string>[]>[{}, { name: '  ' }, { name: 'X', type: 'dropdown' }, { name: 'not a url', type: 'terms' }, { name: 'Dup' }, { name: 'n'.repeat(300) }]) {
        const res = await call(s().client(), 'POST', base(p.id), token, params);
        assert.deepEqual(res.body, { success: false, message: 'The custom_field was unable to be created.' }, JSON.stringify(params).slice(0, 50));
      }
      assert.equal((await call(s().client(), 'GET', base(p.id), token, {}, 'query')).body.custom_fields.length, 1);
    });

    it('answers "The custom_field was not found." for an unknown name', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      for (const method of ['PUT', 'DELETE']) {
        const res = await call(s().client(), method, `${base(p.id)}/Nope`, token, { required: 'true' });
        assert.deepEqual(res.body, { success: false, message: 'The custom_field was not found.' });
      }
    });

    it('does not list or change another seller’s fields', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token);
      await call(s().client(), 'POST', base(theirs.id), b.token, { name: 'Private' });
      for (const [method, path] of [['GET', base(theirs.id)], ['DELETE', `${base(theirs.id)}/Private`]] as const) {
        const res = await call(s().client(), method, path, a.token);
        assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      }
      assert.equal((await call(s().client(), 'GET', base(theirs.id), b.token, {}, 'query')).body.custom_fields.length, 1);
    });
  });
});
