import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sql } from 'kysely';
import { NOT_FOUND_FOR_SELLER_BODY, licenseRow, licensedSale, manage, newSeller, verificationDays, verify } from './fixtures.js';

const path = (licenseId: string) => `/v2/licenses/${encodeURIComponent(licenseId)}/events`;

describeEachDialect('GET /v2/licenses/:license_id/events', (s) => {
  describe('200', () => {
    it('lists verifications per day and every change, newest first, without any key', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      await verify(s(), { product_id: product.id, license_key: key });
      await verify(s(), { product_id: product.id, license_key: key, increment_uses_count: 'false' });
      await manage(s(), 'disable', seller.token, { product_id: product.id, license_key: key });
      await verify(s(), { product_id: product.id, license_key: key });
      await manage(s(), 'enable', seller.token, { product_id: product.id, license_key: key });
      await manage(s(), 'decrement_uses_count', seller.token, { product_id: product.id, license_key: key });
      const rotated = await manage(s(), 'rotate', seller.token, { product_id: product.id, license_key: key });

      const res = await s().client().get(path(sale.license_id), { headers: { authorization: `Bearer ${seller.token}` } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.success, true);
      assert.equal(res.body.license_id, sale.license_id);
      assert.deepEqual(res.body.verifications, [{ day: new Date().toISOString().slice(0, 10), succeeded: 2, refused: 1 }]);
      assert.deepEqual(
        res.body.events.map((e: { action: string }) => e.action).sort(),
        ['license.disabled', 'license.enabled', 'license.issued', 'license.rotated', 'license.uses_decremented'],
      );
      const times = res.body.events.map((e: { occurred_at: string }) => e.occurred_at);
      assert.deepEqual(times, [...times].sort().reverse());
      assert.ok(!res.text.includes(key) && !res.text.includes(rotated.body.purchase.license_key));
    });

    it('answers a token with view_sales only, under /api/v2 too', async () => {
      const { seller, sale } = await licensedSale(s());
      const { generateToken } = await import('../support/fixtures.js');
      const token = await generateToken(seller.client, seller.application.id, { scopes: 'view_sales' });
      const res = await s().client().get('/api' + path(sale.license_id), { query: { access_token: token } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.verifications, []);
      assert.deepEqual(res.body.events.map((e: { action: string }) => e.action), ['license.issued']);
    });
  });

  describe('401', () => {
    it('refuses a request without a token', async () => {
      const { sale } = await licensedSale(s());
      const res = await s().client().get(path(sale.license_id));
      assert.equal(res.status, 401);
    });
  });

  describe('403', () => {
    it('refuses a token with neither edit_products nor view_sales', async () => {
      const { sale } = await licensedSale(s());
      const other = await newSeller(s(), 'view_profile');
      const res = await s().client().get(path(sale.license_id), { query: { access_token: other.token } });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { success: false, message: 'This endpoint requires the edit_products scope.' });
    });
  });

  describe('404', () => {
    it("answers another seller's license like an unknown one", async () => {
      const { sale } = await licensedSale(s());
      const stranger = await newSeller(s());
      for (const id of [sale.license_id, 'no-such-license']) {
        const res = await s().client().get(path(id), { headers: { authorization: `Bearer ${stranger.token}` } });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, NOT_FOUND_FOR_SELLER_BODY);
      }
    });
  });
});

describeEachDialect('GET /v2/licenses/:license_id/events after a failed verify batch', (s) => {
  describe('200', () => {
    it('a batch whose day counts could not be written fails whole; later batches, the history and shutdown work', async () => {
      const { seller, product, sale, key } = await licensedSale(s());
      assert.equal((await verify(s(), { product_id: product.id, license_key: key })).status, 200);
      // Inject a failure: the day-count table is gone for one batch.
      await sql`alter table license_verification_days rename to license_verification_days_away`.execute(s().ctx.db);
      const failed = await verify(s(), { product_id: product.id, license_key: key });
      await sql`alter table license_verification_days_away rename to license_verification_days`.execute(s().ctx.db);
      assert.equal(failed.status, 500);
      assert.equal(failed.body.success, false);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 1, 'the failed batch counted no use either');

      assert.equal((await verify(s(), { product_id: product.id, license_key: key })).body.uses, 2);
      await manage(s(), 'disable', seller.token, { product_id: product.id, license_key: key });
      assert.equal((await verify(s(), { product_id: product.id, license_key: key })).status, 404);
      const res = await s().client().get(path(sale.license_id), { headers: { authorization: `Bearer ${seller.token}` } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.verifications, [{ day: new Date().toISOString().slice(0, 10), succeeded: 2, refused: 1 }]);
      const stored = await verificationDays(s(), sale.license_id);
      assert.deepEqual(stored.map((d) => [d.succeeded, d.refused]), [[2, 1]]);
      // Shutdown (the harness's close after this block) waits for the batcher and must resolve.
      await s().ctx.licenseVerify.batcher.idle();
    });
  });
});
