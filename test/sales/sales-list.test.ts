import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { CLI_ACTOR } from '../../src/context.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { call, createProduct, ENCODINGS } from '../catalog/helpers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

/** A seller with `count` sales one day apart from T0 (newest last), spread over two products. */
async function sellerWithSales(s: TestServer, count: number) {
  const seller = await sellerWithToken(s);
  const a = await createProduct(s, seller.token, { name: 'A' });
  const b = await createProduct(s, seller.token, { name: 'B' });
  const sales = [];
  for (let i = 0; i < count; i++) {
    const product = i % 2 === 0 ? a : b;
    sales.push(await recordPurchase(s.ctx, seller.user.id, { product: product.id, email: `buyer${i}@example.com` }, CLI_ACTOR, { createdAt: T0 + i * DAY }));
  }
  return { ...seller, a, b, sales };
}

describeEachDialect('GET /v2/sales', (s) => {
  describe('200', () => {
    it('pages 10 at a time, newest first, with next_page_key and a relative next_page_url, to the end', async () => {
      const { token, sales } = await sellerWithSales(s(), 23);
      const seen: string[] = [];
      let res = await s().client().get('/v2/sales', { query: { access_token: token } });
      for (let page = 0; ; page++) {
        assert.equal(res.status, 200);
        assert.equal(res.body.success, true);
        seen.push(...res.body.sales.map((x: { id: string }) => x.id));
        if (page < 2) {
          assert.equal(res.body.sales.length, 10);
          assert.match(res.body.next_page_key, /^\d{20}-\d+$/);
          assert.equal(res.body.next_page_url, `/v2/sales?page_key=${encodeURIComponent(res.body.next_page_key)}`);
          res = await s().client().get(res.body.next_page_url, { query: { access_token: token } });
        } else {
          assert.equal(res.body.sales.length, 3);
          assert.equal('next_page_key' in res.body, false);
          assert.equal('next_page_url' in res.body, false);
          break;
        }
      }
      assert.deepEqual(seen, sales.map((x) => x.id).reverse());
    });

    it('keeps the filters and the legacy path in next_page_url, without the token or page', async () => {
      const { token } = await sellerWithSales(s(), 12);
      const res = await s().client().get('/api/v2/sales', { query: { access_token: token, after: '2024-01-01', page: '1' } });
      assert.equal(res.body.sales.length, 10);
      const key = res.body.next_page_key;
      assert.equal(res.body.next_page_url, `/api/v2/sales?after=2024-01-01&page_key=${encodeURIComponent(key)}`);
      assert.ok(!res.body.next_page_url.includes('access_token'));
    });

    it('filters by after (inclusive), before (exclusive), product_id, email and order_id from every encoding', async () => {
      const { token, sales, b } = await sellerWithSales(s(), 6);
      for (const encoding of ENCODINGS) {
        const window = await call(s().client(), 'GET', '/v2/sales', token, { after: '2024-01-11', before: '2024-01-14' }, encoding);
        assert.deepEqual(window.body.sales.map((x: { email: string }) => x.email), ['buyer3@example.com', 'buyer2@example.com', 'buyer1@example.com'], encoding);
        const byProduct = await call(s().client(), 'GET', '/v2/sales', token, { product_id: b.id }, encoding);
        assert.deepEqual(byProduct.body.sales.map((x: { email: string }) => x.email), ['buyer5@example.com', 'buyer3@example.com', 'buyer1@example.com']);
        const byEmail = await call(s().client(), 'GET', '/v2/sales', token, { email: ' buyer4@example.com ' }, encoding);
        assert.deepEqual(byEmail.body.sales.map((x: { id: string }) => x.id), [sales[4]!.id]);
        const byOrder = await call(s().client(), 'GET', '/v2/sales', token, { order_id: String(sales[2]!.order_id) }, encoding);
        assert.deepEqual(byOrder.body.sales.map((x: { id: string }) => x.id), [sales[2]!.id]);
      }
    });

    it('supports the deprecated page parameter as 1-based offset paging', async () => {
      const { token, sales } = await sellerWithSales(s(), 13);
      const second = await call(s().client(), 'GET', '/v2/sales', token, { page: '2' }, 'query');
      assert.deepEqual(second.body.sales.map((x: { id: string }) => x.id), sales.slice(0, 3).map((x) => x.id).reverse());
    });

    it('shows the contract’s sale object and never another seller’s sales', async () => {
      const mine = await sellerWithSales(s(), 1);
      await sellerWithSales(s(), 2);
      const res = await call(s().client(), 'GET', '/v2/sales', mine.token, {}, 'query');
      assert.equal(res.body.sales.length, 1);
      const sale = res.body.sales[0];
      assert.equal(sale.created_at, '2024-01-10T12:00:00Z');
      assert.equal(sale.daystamp, '10 Jan 2024 12:00 PM');
      assert.match(sale.timestamp, /ago$/);
      assert.equal(sale.product_name, 'A');
      assert.equal(sale.seller_id, (await s().ctx.db.selectFrom('users').select('external_id').where('id', '=', mine.user.id).executeTakeFirstOrThrow()).external_id);
      assert.equal(sale.currency_symbol, '$');
      assert.equal(sale.amount_refundable_in_currency, '5.00');
      assert.equal(sale.gumroad_fee, 0);
      assert.equal(sale.refunded, false);
      assert.equal(sale.partially_refunded, false);
      assert.deepEqual(sale.card, { visual: null, type: null, bin: null, expiry_month: null, expiry_year: null });
      assert.equal(sale.product_rating, null);
      assert.equal('full_name' in sale, false, 'null keys are dropped');
    });

    it('matches email case-insensitively, as Gumroad does', async () => {
      const { token } = await sellerWithSales(s(), 3);
      const res = await call(s().client(), 'GET', '/v2/sales', token, { email: 'BUYER1@Example.COM' }, 'query');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.sales.map((x: { email: string }) => x.email), ['buyer1@example.com']);
    });

    it('filters by license_key (any case, surrounding spaces ignored): the buyer of that key only', async () => {
      const seller = await sellerWithToken(s());
      const product = await createProduct(s(), seller.token, { name: 'Licensed', is_licensed: 'true' });
      const mine = await recordPurchase(s().ctx, seller.user.id, { product: product.id, email: 'keyholder@example.com' }, CLI_ACTOR);
      for (let i = 0; i < 3; i++) await recordPurchase(s().ctx, seller.user.id, { product: product.id, email: `newer${i}@example.com` }, CLI_ACTOR);
      const key = (mine as unknown as { license_key: string }).license_key;
      const res = await call(s().client(), 'GET', '/v2/sales', seller.token, { license_key: ` ${key.toLowerCase()} ` }, 'query');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.sales.map((x: { email: string }) => x.email), ['keyholder@example.com']);
      assert.equal(res.body.sales[0].license_key, key);
      const unknown = await call(s().client(), 'GET', '/v2/sales', seller.token, { license_key: 'NOT-A-KEY' }, 'query');
      assert.equal(unknown.status, 200);
      assert.deepEqual(unknown.body.sales, []);
      // Another seller's key finds nothing either.
      const other = await sellerWithToken(s());
      const foreign = await call(s().client(), 'GET', '/v2/sales', other.token, { license_key: key }, 'query');
      assert.deepEqual(foreign.body.sales, []);
    });
  });

  describe('400', () => {
    it('answers the contract’s E400 bodies for bad filters', async () => {
      const { token } = await sellerWithSales(s(), 1);
      const other = await sellerWithToken(s());
      const foreign = await createProduct(s(), other.token);
      const cases: [Record<string, string>, string][] = [
        [{ after: '2024-13-01' }, "Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD."],
        [{ after: 'yesterday' }, "Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD."],
        [{ before: '2024-02-30' }, "Invalid date format provided in field 'before'. Dates must be in the format YYYY-MM-DD."],
        [{ product_id: 'nope' }, 'Invalid product ID.'],
        [{ product_id: foreign.id }, 'Invalid product ID.'],
        [{ order_id: '12ab' }, 'Invalid order ID.'],
        [{ page_key: 'garbage' }, 'Invalid page_key.'],
        [{ page_key: '20241399999999000000-1' }, 'Invalid page_key.'],
        [{ page: '0' }, 'Invalid page number. Page numbers start at 1.'],
        [{ page: 'two' }, 'Invalid page number. Page numbers start at 1.'],
      ];
      for (const [params, message] of cases) {
        const res = await call(s().client(), 'GET', '/v2/sales', token, params, 'query');
        assert.equal(res.status, 400, JSON.stringify(params));
        assert.deepEqual(res.body, { status: 400, error: message, success: false, message });
      }
    });
  });
});

describeEachDialect(
  'GET /v2/sales beyond page 10',
  (s) => {
    describe('429', () => {
      it('limits requests for pages beyond 10 per IP, never the others, and lets them through after the window', async () => {
        const { token, sales } = await sellerWithSales(s(), 1);
        // The limiter's clock is the context's: held 100 ms into a one-second window, then moved
        // past it by hand, so a slow machine cannot let the window end in the middle of the test.
        let now = Math.floor(Date.now() / 1000) * 1000 + 100;
        s().ctx.clock = () => now;
        try {
          const get = (page: string | null, ip = '203.0.113.1') =>
            s().client().get('/v2/sales', { query: { access_token: token, ...(page === null ? {} : { page }) }, headers: { 'x-forwarded-for': ip } });
          const saleIds = (res: { body: { sales: { id: string }[] } }) => res.body.sales.map((x) => x.id);
          for (let i = 0; i < 4; i++) {
            for (const [page, expected] of [[null, [sales[0]!.id]], ['1', [sales[0]!.id]], ['10', []]] as const) {
              const res = await get(page);
              assert.equal(res.status, 200, `page ${page} is not counted`);
              assert.equal(res.body.success, true);
              assert.deepEqual(saleIds(res), expected);
            }
          }
          for (const page of ['11', '12', '500']) {
            const res = await get(page);
            assert.equal(res.status, 200, `page ${page} is within the limit`);
            assert.deepEqual(res.body, { success: true, sales: [] });
          }
          const limited = await get('11');
          assert.equal(limited.status, 429);
          assert.equal(limited.headers.get('retry-after'), '1');
          assert.deepEqual(limited.body, {
            success: false,
            error: 'rate_limited',
            message: 'Too many requests for pages beyond 10. Page with page_key instead, or try again in 1 seconds.',
          });
          assert.deepEqual((await get('2')).body, { success: true, sales: [] }, 'a shallow page still passes');
          assert.equal((await get('11', '203.0.113.2')).status, 200, 'another address has its own count');
          now += 1000 * Number(limited.headers.get('retry-after'));
          const again = await get('11');
          assert.equal(again.status, 200);
          assert.deepEqual(again.body, { success: true, sales: [] });
          assert.deepEqual(saleIds(await get('1')), [sales[0]!.id], 'the sales are untouched');
        } finally {
          s().ctx.clock = Date.now;
        }
      });
    });
  },
  { TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP: '3', TESSERA_TRUST_PROXY: '1' },
);
