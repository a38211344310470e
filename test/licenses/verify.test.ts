import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, describeEachDialect, startServer } from '../support/harness.js';
import {
  ENCODINGS,
  NOT_FOUND_BODY,
  licensedProduct,
  licensedSale,
  licenseRow,
  newSeller,
  permalinkOf,
  purchase,
  verificationDays,
  verify,
} from './fixtures.js';

describeEachDialect('POST /v2/licenses/verify', (s) => {
  describe('200', () => {
    it('counts a use and answers the purchase as Gumroad presents it', async () => {
      const { product, sale, key } = await licensedSale(s(), {}, { full_name: 'Ada Buyer' });
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.equal(res.body.uses, 1);
      const p = res.body.purchase;
      assert.equal(p.id, sale.id);
      assert.equal(p.sale_id, sale.id);
      assert.equal(p.product_id, product.id);
      assert.equal(p.product_name, 'Pro App');
      assert.equal(p.license_key, key);
      assert.equal(p.email, 'buyer@example.com');
      assert.equal(p.full_name, 'Ada Buyer');
      assert.equal(p.price, 1500);
      assert.equal(p.currency, 'usd');
      assert.equal(p.quantity, 1);
      assert.equal(p.seller_id, sale.seller_id);
      assert.equal(p.short_product_id, p.permalink);
      assert.equal(p.product_permalink, product.short_url);
      assert.equal(p.variants, '');
      assert.deepEqual(p.custom_fields, []);
      assert.equal(p.refunded, false);
      assert.equal(p.chargebacked, false);
      assert.equal(p.disputed, false);
      assert.match(p.sale_timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(p.card, { visual: null, type: null, bin: null, expiry_month: null, expiry_year: null });
      assert.equal(res.body.rotated, undefined);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 1);
      const [day] = await verificationDays(s(), sale.license_id);
      assert.equal(day!.succeeded, 1);
      assert.equal(day!.day, new Date().toISOString().slice(0, 10));
    });

    for (const encoding of ENCODINGS) {
      it(`reads the parameters from a ${encoding} request, under /v2 and /api/v2`, async () => {
        const { product, sale, key } = await licensedSale(s());
        const a = await verify(s(), { product_id: product.id, license_key: key }, encoding);
        assert.equal(a.status, 200, JSON.stringify(a.body));
        assert.equal(a.body.uses, 1);
        const b = await s().client().post('/api//v2/licenses//verify', { query: { product_id: product.id }, form: { license_key: key } });
        assert.equal(b.status, 200, JSON.stringify(b.body));
        assert.equal(b.body.uses, 2);
        assert.equal((await licenseRow(s(), sale.license_id)).uses, 2);
      });
    }

    for (const off of [false, 'false', '0', 'no', 'off', 'FALSE']) {
      it(`does not count a use when increment_uses_count is ${JSON.stringify(off)}`, async () => {
        const { product, sale, key } = await licensedSale(s());
        await verify(s(), { product_id: product.id, license_key: key });
        const res = await verify(s(), { product_id: product.id, license_key: key, increment_uses_count: off }, 'json');
        assert.equal(res.status, 200);
        assert.equal(res.body.uses, 1);
        assert.equal((await licenseRow(s(), sale.license_id)).uses, 1);
        assert.equal((await verificationDays(s(), sale.license_id))[0]!.succeeded, 2);
      });
    }

    it('counts a use for true, "true", "1" and a blank value', async () => {
      const { product, sale, key } = await licensedSale(s());
      for (const on of [true, 'true', '1', '']) await verify(s(), { product_id: product.id, license_key: key, increment_uses_count: on }, 'json');
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 4);
    });

    it('matches product_permalink, unique or custom, in any case', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller, { custom_permalink: `MyApp${Date.now()}` });
      const sale = await purchase(s(), seller, product.id);
      const unique = permalinkOf(product);
      for (const permalink of [unique, unique.toUpperCase(), product.custom_permalink!, product.custom_permalink!.toLowerCase()]) {
        const res = await verify(s(), { product_permalink: permalink, license_key: sale.license_key });
        assert.equal(res.status, 200, permalink);
      }
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 4);
    });

    it('reads the legacy id and link_id as the permalink, id first', async () => {
      const { product, key } = await licensedSale(s());
      const permalink = permalinkOf(product);
      assert.equal((await verify(s(), { id: permalink, license_key: key })).status, 200);
      assert.equal((await verify(s(), { link_id: permalink, license_key: key })).status, 200);
      assert.equal((await verify(s(), { id: permalink, link_id: 'nope', product_permalink: 'nope', license_key: key })).status, 200);
      assert.equal((await verify(s(), { link_id: permalink, product_permalink: 'nope', license_key: key })).status, 200);
      const res = await verify(s(), { id: 'nope', link_id: permalink, license_key: key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, NOT_FOUND_BODY);
    });

    it('shows variants as "(A, B)", custom fields as lines and top-level keys, and the offer code', async () => {
      const { product, sale, key } = await licensedSale(s());
      const codeId = 'bench-code-' + Date.now();
      const seller = await s().ctx.db.selectFrom('purchases').select('seller_id').where('external_id', '=', sale.id).executeTakeFirstOrThrow();
      await s().ctx.db
        .insertInto('offer_codes')
        .values({ id: codeId, external_id: codeId, seller_id: seller.seller_id, product_id: null, name: 'SPRING', amount_cents: null, percent_off: 20, currency: 'usd', max_purchase_count: null, universal: 1, created_at: Date.now(), deleted_at: null })
        .execute();
      await s().ctx.db
        .updateTable('purchases')
        .set({ variants: JSON.stringify({ Color: 'Red', Size: 'Large' }), custom_fields: JSON.stringify({ Company: 'Acme', email: 'spoof@evil.test' }), offer_code_id: codeId })
        .where('external_id', '=', sale.id)
        .execute();
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.purchase.variants, '(Red, Large)');
      assert.deepEqual(res.body.purchase.custom_fields, ['Company: Acme', 'email: spoof@evil.test']);
      assert.equal(res.body.purchase.Company, 'Acme');
      assert.equal(res.body.purchase.email, 'buyer@example.com', 'a custom field never overwrites the payload');
      assert.deepEqual(res.body.purchase.offer_code, { code: 'SPRING', displayed_amount_off: '20%', name: 'SPRING' });
    });

    it('still verifies refunded, chargebacked and disputed purchases, reporting them', async () => {
      const { product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('purchases').set({ refunded: 1, chargebacked: 1, disputed: 1 }).where('external_id', '=', sale.id).execute();
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.purchase.refunded, true);
      assert.equal(res.body.purchase.chargebacked, true);
      assert.equal(res.body.purchase.disputed, true);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 1);
    });

    it('reports subscription dates and chargebacked for a subscription product, ended or not', async () => {
      const { product, sale, key } = await licensedSale(s(), { subscription_duration: 'monthly' });
      const ended = Date.UTC(2024, 0, 2, 3, 4, 5);
      await s().ctx.db.updateTable('purchases').set({ subscription_ended_at: ended }).where('external_id', '=', sale.id).execute();
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.purchase.subscription_ended_at, '2024-01-02T03:04:05Z');
      assert.equal(res.body.purchase.subscription_cancelled_at, null);
      assert.equal(res.body.purchase.subscription_failed_at, null);
      assert.equal(res.body.purchase.chargebacked, false);
      assert.equal(res.body.purchase.recurrence, 'monthly');
      assert.equal(typeof res.body.purchase.subscription_id, 'string');
    });

    it('always carries the subscription dates (null) and chargebacked for a one-off product (decision 11)', async () => {
      const { product, key } = await licensedSale(s());
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      for (const field of ['subscription_ended_at', 'subscription_cancelled_at', 'subscription_failed_at']) {
        assert.ok(field in res.body.purchase, field);
        assert.equal(res.body.purchase[field], null);
      }
      assert.equal(res.body.purchase.chargebacked, false);
    });

    it('matches a generated key in any case and with surrounding whitespace, and shows it as stored (decision 9)', async () => {
      const { product, sale, key } = await licensedSale(s());
      for (const typed of [key.toLowerCase(), `  ${key}\n`, `\t${key.toLowerCase()} `]) {
        const res = await verify(s(), { product_id: product.id, license_key: typed });
        assert.equal(res.status, 200, JSON.stringify(typed));
        assert.equal(res.body.purchase.license_key, key);
      }
      // One license counted three times, whatever the casing (the view cache is keyed by the normal form).
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 3);
      const [day] = await verificationDays(s(), sale.license_id);
      assert.equal(day!.succeeded, 3);
    });

    it('matches an imported key in any case and shows it as imported', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const key = `Legacy-Key-${Date.now()}-abc`;
      const sale = await purchase(s(), seller, product.id, { email: 'old@example.com' }, { licenseKey: key });
      const res = await verify(s(), { product_id: product.id, license_key: ` ${key.toUpperCase()} ` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.purchase.license_key, key);
      const lower = await verify(s(), { product_id: product.id, license_key: key.toLowerCase() });
      assert.equal(lower.status, 200);
      assert.equal(lower.body.purchase.license_key, key);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 2);
    });

    it("answers an imported customer's key unchanged, with the imported_customer object", async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const key = `legacy-key-${Date.now()}`;
      const sale = await purchase(s(), seller, product.id, { email: 'old@example.com' }, { licenseKey: key, isImported: true });
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 200);
      assert.equal(res.body.uses, 1);
      assert.equal(res.body.purchase, undefined);
      const c = res.body.imported_customer;
      assert.equal(c.email, 'old@example.com');
      assert.equal(c.purchase_email, 'old@example.com');
      assert.equal(c.id, sale.id);
      assert.equal(c.product_name, 'Pro App');
      assert.equal(c.link_name, 'Pro App');
      assert.equal(c.price, null);
      assert.equal(c.is_imported_customer, true);
      assert.equal(c.can_update, null);
      assert.match(c.timestamp, / ago$/);
      assert.equal(c.license_key, undefined);
    });

    it('stores the key only as an HMAC and AES-GCM ciphertext', async () => {
      const { sale, key } = await licensedSale(s());
      assert.match(key, /^[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}$/);
      const row = await licenseRow(s(), sale.license_id);
      assert.equal(row.key_hash, s().ctx.keys.hash(key));
      assert.equal(s().ctx.keys.decrypt(row.key_encrypted), key);
      assert.ok(!JSON.stringify(row).includes(key));
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('target_id', '=', row.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['license.issued']);
      assert.ok(!JSON.stringify(audit).includes(key));
    });
  });

  describe('400', () => {
    it("refuses license_key[]=x (a Rails list) with \"The 'license_key' parameter must be a string.\"", async () => {
      const { product, sale, key } = await licensedSale(s());
      for (const body of [`product_id=${encodeURIComponent(product.id)}&license_key[]=${key}`, `product_id=${encodeURIComponent(product.id)}&license_key[]=${key}&license_key[]=x`]) {
        const res = await s().client().post('/v2/licenses/verify', { raw: { body, type: 'application/x-www-form-urlencoded' } });
        assert.equal(res.status, 400, body);
        assert.deepEqual(res.body, { success: false, message: "The 'license_key' parameter must be a string." });
      }
      const query = await s().client().post(`/v2/licenses/verify?license_key[]=${key}&product_id=${encodeURIComponent(product.id)}`);
      assert.equal(query.status, 400);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
    });

    it('asks for product_id, naming it, when the key exists but no product is given', async () => {
      const { product, sale, key } = await licensedSale(s());
      const res = await verify(s(), { license_key: key });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        success: false,
        message: `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${product.id}' in the request.`,
      });
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
      assert.equal((await verificationDays(s(), sale.license_id))[0]!.refused, 1);
    });

    for (const name of ['license_key', 'product_id', 'product_permalink', 'id', 'link_id']) {
      for (const value of [42, ['a', 'b'], { a: 1 }, true]) {
        it(`refuses a ${Array.isArray(value) ? 'list' : typeof value} ${name} without counting a use`, async () => {
          const { product, sale, key } = await licensedSale(s());
          const res = await verify(s(), { product_id: product.id, license_key: key, [name]: value }, 'json');
          assert.equal(res.status, 400);
          assert.deepEqual(res.body, { success: false, message: `The '${name}' parameter must be a string.` });
          assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
        });
      }
    }

    it('refuses a repeated query parameter (a list) the same way', async () => {
      const { product, key } = await licensedSale(s());
      const res = await s().client().post(`/v2/licenses/verify?product_id=${encodeURIComponent(product.id)}&license_key=${key}&license_key=${key}`);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { success: false, message: "The 'license_key' parameter must be a string." });
    });

    it('refuses a JSON body that is not an object with a JSON 400', async () => {
      const res = await s().client().post('/v2/licenses/verify', { raw: { body: '[1,2]', type: 'application/json' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
    });
  });

  describe('404', () => {
    it('answers an unknown or a missing key alike (another case of a real key matches: decision 9)', async () => {
      const { product, sale } = await licensedSale(s());
      for (const params of [{ license_key: 'NOPE-NOPE' }, {}]) {
        const res = await verify(s(), { product_id: product.id, ...params });
        assert.equal(res.status, 404, JSON.stringify(params));
        assert.deepEqual(res.body, NOT_FOUND_BODY);
      }
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
    });

    it('answers 404 (not 400) for an unknown key without a product', async () => {
      const res = await verify(s(), { license_key: 'AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD' });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, NOT_FOUND_BODY);
    });

    it('refuses a key with another product id or permalink, counting it refused', async () => {
      const { sale, key } = await licensedSale(s());
      const other = await licensedSale(s());
      for (const params of [{ product_id: other.product.id }, { product_permalink: permalinkOf(other.product) }]) {
        const res = await verify(s(), { ...params, license_key: key });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, NOT_FOUND_BODY);
      }
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
      assert.equal((await verificationDays(s(), sale.license_id))[0]!.refused, 2);
    });

    it('refuses a disabled key without counting a use', async () => {
      const { product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('licenses').set({ disabled_at: Date.now() }).where('external_id', '=', sale.license_id).execute();
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { success: false, message: 'This license key has been disabled.' });
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
    });

    it('refuses a key whose purchase access was revoked', async () => {
      const { product, sale, key } = await licensedSale(s());
      await s().ctx.db.updateTable('purchases').set({ access_revoked_at: Date.now() }).where('external_id', '=', sale.id).execute();
      const res = await verify(s(), { product_id: product.id, license_key: key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { success: false, message: 'Access to the purchase associated with this license has expired.' });
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 0);
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`POST /v2/licenses/verify [${dialect}] 429`, () => {
    it('refuses every verification from an address after TESSERA_LICENSE_VERIFY_FAILURES_PER_IP failures', async () => {
      const server = await startServer(dialect, { TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '3' });
      try {
        const { product, sale, key } = await licensedSale(server);
        for (let i = 0; i < 5; i++) assert.equal((await verify(server, { product_id: product.id, license_key: key })).status, 200, 'successes do not count');
        for (const params of [{ license_key: `GUESS-${Date.now()}` }, { license_key: key }, { product_id: 'wrong', license_key: key }]) {
          assert.notEqual((await verify(server, params)).status, 200);
        }
        const res = await verify(server, { product_id: product.id, license_key: key });
        assert.equal(res.status, 429);
        assert.ok(Number(res.headers.get('retry-after')) > 0);
        assert.equal(res.body.success, false);
        assert.equal(res.body.error, 'rate_limited');
        assert.match(res.body.message, /^Too many failed license verifications\. Try again in \d+ seconds\.$/);
        assert.equal((await licenseRow(server, sale.license_id)).uses, 5, 'a refused request counts no use');
      } finally {
        await server.close();
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`POST /v2/licenses/verify [${dialect}] 503`, () => {
    it('refuses at once past TESSERA_LICENSE_VERIFY_QUEUE_LIMIT, with Retry-After, and counts nothing for it', async () => {
      const server = await startServer(dialect, { TESSERA_LICENSE_VERIFY_QUEUE_LIMIT: '3', TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '1' });
      try {
        const { product, sale, key } = await licensedSale(server);
        const batcher = server.ctx.licenseVerify.batcher;
        const release = batcher.hold(); // the database is slow: no batch starts
        const held = [1, 2, 3].map(() => verify(server, { product_id: product.id, license_key: key }));
        while (batcher.depth < 3) await new Promise((resolve) => setImmediate(resolve));
        const res = await verify(server, { product_id: product.id, license_key: key });
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('retry-after'), '1');
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(res.body, { success: false, message: 'Too many license verifications are waiting on this server. Try again in a second.' });
        assert.equal(batcher.depth, 3, 'the refused request was not queued');
        release();
        const answers = await Promise.all(held);
        assert.deepEqual(answers.map((a) => [a.status, a.body.uses]).sort(), [[200, 1], [200, 2], [200, 3]]);
        assert.equal((await licenseRow(server, sale.license_id)).uses, 3, 'the refused request counted no use');
        assert.deepEqual((await verificationDays(server, sale.license_id)).map((d) => [d.succeeded, d.refused]), [[3, 0]]);
        // Not a failed verification: the failure limit (1) is not reached by a 503.
        assert.equal((await verify(server, { product_id: product.id, license_key: key })).status, 200);
      } finally {
        await server.close();
      }
    });
  });
}
