import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOfferCode } from '../../src/catalog/offer-code-service.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { licensedProduct } from './support/catalog.js';
import { alertOf, audited, auditCount, pageCsrf, reloadTwice } from './support/products.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };

describeEachDialect('Dashboard: offer codes of a product', (s) => {
  async function seller() {
    const { client, user } = await s().signUp();
    const product = await licensedProduct(s(), user.id);
    const base = `/products/${encodeURIComponent(product.id)}`;
    return { client, user, product, base, csrf: await pageCsrf(client, base) };
  }
  const codesOf = (userId: string) => s().ctx.db.selectFrom('offer_codes').selectAll().where('seller_id', '=', userId).orderBy('created_at').execute();

  describe('POST /products/:id/offer-codes', () => {
    it('303: adds an amount-off code (typed in dollars) and a percent-off one for all products; a reload adds nothing', async () => {
      const { client, user, product, base, csrf } = await seller();
      const res = await client.post(`${base}/offer-codes`, { form: { _csrf: csrf, name: 'SPRING', offer_type: 'cents', amount: '5', max_purchase_count: '3' } });
      assert.equal(res.headers.get('location'), `${base}?saved=code-added#offer-codes`);
      const page = await reloadTwice(s(), client, res, user.id);
      assert.match(page, /Offer code added\./);
      assert.match(page, /<code>SPRING<\/code>/);
      assert.match(page, /\$5 off/);
      const pct = await client.post(`${base}/offer-codes`, { form: { _csrf: csrf, name: 'HALF', offer_type: 'percent', amount: '50', universal: 'true' } });
      assert.equal(pct.status, 303);
      const rows = await codesOf(user.id);
      assert.deepEqual(
        rows.map((r) => [r.name, r.amount_cents, r.percent_off, r.max_purchase_count, r.universal, r.product_id === null]),
        [
          ['SPRING', 500, null, 3, 0, false],
          ['HALF', null, 50, null, 1, true],
        ],
      );
      assert.match(await reloadTwice(s(), client, pct, user.id), /all products/);
      assert.equal((await audited(s(), user.id, 'offer_code.created')).length, 2);
      // The code works at checkout, as the API's would.
      const sale = await recordPurchase(s().ctx, user.id, { product: product.id, email: uniqueEmail('buyer'), offer_code: 'SPRING' }, SYSTEM);
      assert.equal(sale.price, 2000);
    });

    it('400: missing amount, a duplicate, bad characters, a discount below the minimum; the form keeps what was typed', async () => {
      const { client, user, base, csrf } = await seller();
      await client.post(`${base}/offer-codes`, { form: { _csrf: csrf, name: 'TAKEN', offer_type: 'cents', amount: '1' } });
      const before = await auditCount(s(), user.id);
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ name: 'EMPTY', offer_type: 'cents', amount: '' }, /Enter the amount off, such as 5 or 4\.99\./],
        [{ name: 'EMPTYPCT', offer_type: 'percent', amount: '' }, /Enter the percentage off, from 1 to 100\./],
        [{ name: 'TAKEN', offer_type: 'cents', amount: '2' }, /Discount code must be unique\./],
        [{ name: 'no spaces', offer_type: 'cents', amount: '2' }, /Discount code can only contain numbers, letters, dashes and underscores\./],
        [{ name: 'NEARLYFREE', offer_type: 'cents', amount: '24.50' }, /The price after discount for all of your products must be either \$0 or at least \$0\.99\./],
        [{ name: 'TOOMUCH', offer_type: 'percent', amount: '150' }, /amount_off.*must be a whole number between 0 and 100/],
        [{ name: 'ODD', offer_type: 'cents', amount: '1.234' }, /Enter the amount off as an amount such as 5 or 4\.99\./],
      ];
      for (const [form, message] of cases) {
        const res = await client.post(`${base}/offer-codes`, { form: { _csrf: csrf, ...form } });
        assert.equal(res.status, 400, JSON.stringify(form));
        assert.match(alertOf(res.text), message);
        assert.ok(res.text.includes(`value="${form.name}"`), 'the code typed is kept');
      }
      assert.deepEqual((await codesOf(user.id)).map((r) => r.name), ['TAKEN']);
      assert.equal(await auditCount(s(), user.id), before);
    });
  });

  describe('POST /products/:id/offer-codes/:codeId (limit) and …/delete', () => {
    it('303: changes the limit; 400 on a bad one', async () => {
      const { client, user, product, base, csrf } = await seller();
      const code = await createOfferCode(s().ctx, user.id, product.id, { name: 'LIMITED', amount_cents: '100' }, SYSTEM);
      const path = `${base}/offer-codes/${encodeURIComponent(code.id)}`;
      const res = await client.post(path, { form: { _csrf: csrf, max_purchase_count: '7' } });
      assert.equal(res.headers.get('location'), `${base}?saved=code-saved#offer-codes`);
      assert.equal((await codesOf(user.id))[0]!.max_purchase_count, 7);
      await reloadTwice(s(), client, res, user.id);
      const bad = await client.post(path, { form: { _csrf: csrf, max_purchase_count: 'many' } });
      assert.equal(bad.status, 400);
      assert.match(alertOf(bad.text), /max_purchase_count.*must be a whole number/);
      assert.equal((await codesOf(user.id))[0]!.max_purchase_count, 7);
    });

    it('asks first, naming its uses; confirmed, the code stops working at checkout; 404 after', async () => {
      const { client, user, product, base, csrf } = await seller();
      const code = await createOfferCode(s().ctx, user.id, product.id, { name: 'GONE', amount_cents: '100' }, SYSTEM);
      await recordPurchase(s().ctx, user.id, { product: product.id, email: uniqueEmail('buyer'), offer_code: 'GONE' }, SYSTEM);
      const path = `${base}/offer-codes/${encodeURIComponent(code.id)}/delete`;
      const ask = await client.post(path, { form: { _csrf: csrf } });
      assert.equal(ask.headers.get('location'), path);
      const confirm = await client.get(path);
      assert.match(confirm.text, /The code GONE \(used 1 time\) stops working at once: buyers who have it pay the full price\./);
      assert.equal((await codesOf(user.id))[0]!.deleted_at, null);
      const done = await client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${base}?saved=code-deleted#offer-codes`);
      assert.notEqual((await codesOf(user.id))[0]!.deleted_at, null);
      await reloadTwice(s(), client, done, user.id);
      await assert.rejects(recordPurchase(s().ctx, user.id, { product: product.id, email: uniqueEmail('buyer'), offer_code: 'GONE' }, SYSTEM), /discount code you wish to use is invalid/);
      assert.equal((await client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } })).status, 404);
      assert.equal((await audited(s(), user.id, 'offer_code.deleted')).length, 1);
    });

    it("404: another seller's code cannot be changed or deleted", async () => {
      const { user, product } = await seller();
      const code = await createOfferCode(s().ctx, user.id, product.id, { name: 'MINE', amount_cents: '100' }, SYSTEM);
      const other = await s().signUp();
      const csrf = await pageCsrf(other.client, '/products');
      const path = `/products/${encodeURIComponent(product.id)}/offer-codes/${encodeURIComponent(code.id)}`;
      assert.equal((await other.client.post(path, { form: { _csrf: csrf, max_purchase_count: '1' } })).status, 404);
      assert.equal((await other.client.post(`${path}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } })).status, 404);
      const [row] = await codesOf(user.id);
      assert.deepEqual([row!.max_purchase_count, row!.deleted_at], [null, null]);
    });
  });
});
