import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, createProduct, ENCODINGS } from './helpers.js';

describeEachDialect('/v2/products/:product_id/offer_codes', (s) => {
  const base = (id: string) => `/v2/products/${encodeURIComponent(id)}/offer_codes`;
  const stored = (externalId: string) => s().ctx.db.selectFrom('offer_codes').selectAll().where('external_id', '=', externalId).executeTakeFirstOrThrow();

  describe('200', () => {
    it('creates cents and percent codes from every encoding and stores them', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '2000' });
      for (const encoding of ENCODINGS) {
        const cents = await call(s().client(), 'POST', base(p.id), token, { name: `C${encoding}`, amount_off: '300' }, encoding);
        assert.equal(cents.status, 200);
        assert.deepEqual({ ...cents.body.offer_code, id: undefined }, { id: undefined, name: `C${encoding}`, max_purchase_count: null, universal: false, times_used: 0, amount_cents: 300 });
        const percent = await call(s().client(), 'POST', base(p.id), token, { name: `P${encoding}`, amount_off: '25', offer_type: 'percent', max_purchase_count: '5' }, encoding);
        assert.equal(percent.body.offer_code.percent_off, 25, encoding);
        assert.equal('amount_cents' in percent.body.offer_code, false);
        const row = await stored(percent.body.offer_code.id);
        assert.equal(row.percent_off, 25);
        assert.equal(row.max_purchase_count, 5);
      }
      // Fractions are truncated as Rails' integer cast does (10.5 → 10), for cents and percent.
      const fraction = await call(s().client(), 'POST', base(p.id), token, { name: 'FRACTION', amount_off: '10.5' });
      assert.equal(fraction.body.success, true, JSON.stringify(fraction.body));
      assert.equal(fraction.body.offer_code.amount_cents, 10);
      assert.equal((await stored(fraction.body.offer_code.id)).amount_cents, 10);
      const fractionPct = await call(s().client(), 'POST', base(p.id), token, { name: 'FRACPCT', amount_off: '12.9', offer_type: 'percent' }, 'json');
      assert.equal(fractionPct.body.offer_code.percent_off, 12);
      // amount_cents wins over amount_off for a fixed code, as upstream reads them.
      const both = await call(s().client(), 'POST', base(p.id), token, { name: 'BOTH', amount_cents: '120', amount_off: '999' });
      assert.equal(both.body.offer_code.amount_cents, 120);
      const legacy = await call(s().client(), 'POST', base(p.id), token, { name: 'LEGACY', amount_cents: '150' });
      assert.equal(legacy.body.offer_code.amount_cents, 150);
      assert.equal((await auditActions(s(), user.id, 'offer_code.created')).length, 12);
    });

    it('lists the product’s codes and the seller’s universal codes, oldest first, with times_used', async () => {
      const { token } = await sellerWithToken(s());
      const a = await createProduct(s(), token, { price: '2000' });
      const b = await createProduct(s(), token, { price: '2000' });
      await call(s().client(), 'POST', base(a.id), token, { name: 'ONLYA', amount_off: '100' });
      await call(s().client(), 'POST', base(b.id), token, { name: 'EVERY', amount_off: '10', offer_type: 'percent', universal: 'true' });
      await call(s().client(), 'POST', '/v2/purchases', token, { product_id: a.id, email: 'x@example.com', offer_code: 'onlya' });
      const res = await call(s().client(), 'GET', base(a.id), token, {}, 'query');
      assert.deepEqual(res.body.offer_codes.map((c: { name: string; times_used: number; universal: boolean }) => [c.name, c.times_used, c.universal]), [
        ['ONLYA', 1, false],
        ['EVERY', 0, true],
      ]);
      const onB = await call(s().client(), 'GET', base(b.id), token, {}, 'json');
      assert.deepEqual(onB.body.offer_codes.map((c: { name: string }) => c.name), ['EVERY']);
    });

    it('shows one code, updates only max_purchase_count, and soft-deletes', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '2000' });
      const created = (await call(s().client(), 'POST', base(p.id), token, { name: 'ONE', amount_off: '100' })).body.offer_code;
      const shown = await call(s().client(), 'GET', `${base(p.id)}/${encodeURIComponent(created.id)}`, token, {}, 'query');
      assert.deepEqual(shown.body.offer_code, created);
      const updated = await call(s().client(), 'PUT', `${base(p.id)}/${encodeURIComponent(created.id)}`, token, { max_purchase_count: '3', name: 'IGNORED', amount_off: '999' }, 'multipart');
      assert.equal(updated.body.offer_code.max_purchase_count, 3);
      assert.equal(updated.body.offer_code.name, 'ONE');
      assert.equal(updated.body.offer_code.amount_cents, 100);
      assert.equal((await stored(created.id)).max_purchase_count, 3);
      const gone = await call(s().client(), 'DELETE', `${base(p.id)}/${encodeURIComponent(created.id)}`, token);
      assert.deepEqual(gone.body, { success: true, message: 'The offer_code was deleted successfully.' });
      assert.ok((await stored(created.id)).deleted_at);
      assert.deepEqual((await call(s().client(), 'GET', base(p.id), token, {}, 'query')).body.offer_codes, []);
      assert.equal((await auditActions(s(), user.id, 'offer_code.deleted')).length, 1);
    });
  });

  describe('200 with success false', () => {
    it('asks for the amount when neither amount_off nor amount_cents is given', async () => {
      const { token } = await sellerWithToken(s());
      const p = await createProduct(s(), token);
      const res = await call(s().client(), 'POST', base(p.id), token, { name: 'NOAMOUNT' }, 'query');
      assert.deepEqual(res.body, {
        success: false,
        message: 'You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters.',
      });
    });

    it('refuses bad amounts, names and duplicates, storing nothing', async () => {
      const { token, user } = await sellerWithToken(s());
      const p = await createProduct(s(), token, { price: '1000' });
      await call(s().client(), 'POST', base(p.id), token, { name: 'TAKEN', amount_off: '100' });
      for (const params of <Record<string, string>[]>[
        { name: 'A', amount_off: 'lots' },
        { name: 'A', amount_off: '101', offer_type: 'percent' },
        { name: 'A', amount_off: '5', offer_type: 'bogus' },
        { name: 'has space', amount_off: '100' },
        { name: '', amount_off: '100' },
        { name: 'taken', amount_off: '100' },
        { name: 'TOOMUCH', amount_off: '950' },
        // Gumroad takes a percentage from amount_off only: amount_cents alone makes a 0% code.
        { name: 'ZEROPCT', amount_cents: '25', offer_type: 'percent' },
      ]) {
        const res = await call(s().client(), 'POST', base(p.id), token, params, 'json');
        assert.equal(res.status, 200);
        assert.equal(res.body.success, false, JSON.stringify(params));
        assert.equal(typeof res.body.message, 'string');
      }
      const rows = await s().ctx.db.selectFrom('offer_codes').select('name').where('seller_id', '=', user.id).execute();
      assert.deepEqual(rows.map((r) => r.name), ['TAKEN']);
    });

    it('answers "The offer_code was not found." for unknown codes and for another product’s code', async () => {
      const { token } = await sellerWithToken(s());
      const a = await createProduct(s(), token);
      const b = await createProduct(s(), token);
      const onB = (await call(s().client(), 'POST', base(b.id), token, { name: 'BONLY', amount_off: '100' })).body.offer_code;
      for (const id of ['nope', onB.id]) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await call(s().client(), method, `${base(a.id)}/${encodeURIComponent(id)}`, token, { max_purchase_count: '1' });
          assert.deepEqual(res.body, { success: false, message: 'The offer_code was not found.' }, `${method} ${id}`);
        }
      }
    });

    it('never reads or writes codes of another seller’s product', async () => {
      const a = await sellerWithToken(s());
      const b = await sellerWithToken(s());
      const theirs = await createProduct(s(), b.token);
      const code = (await call(s().client(), 'POST', base(theirs.id), b.token, { name: 'SECRET', amount_off: '100' })).body.offer_code;
      for (const [method, path] of [['GET', base(theirs.id)], ['POST', base(theirs.id)], ['GET', `${base(theirs.id)}/${encodeURIComponent(code.id)}`], ['DELETE', `${base(theirs.id)}/${encodeURIComponent(code.id)}`]]) {
        const res = await call(s().client(), method!, path!, a.token, { name: 'MINE', amount_off: '100' });
        assert.deepEqual(res.body, { success: false, message: 'The product was not found.' });
      }
      assert.equal((await stored(code.id)).deleted_at, null);
    });
  });
});
