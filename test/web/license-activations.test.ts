import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { csrfOf } from './support/forms.js';
import { alertOf, audited, auditCount, reloadTwice } from './support/products.js';
import { activations, lemon, seatedSale } from '../lemonsqueezy/fixtures.js';
import { newSeller } from '../licenses/fixtures.js';

const XSS = '<script>alert("x")</script>';

describeEachDialect("Dashboard: a license's seats", (s) => {
  const seatsOf = (licenseId: string) => `/licenses/${encodeURIComponent(licenseId)}/activations`;

  describe('GET /licenses/:licenseId/activations', () => {
    it('200: lists the instances (names as text), the seats in use, the buyer and the product', async () => {
      const sale = await seatedSale(s(), 2);
      await lemon(s(), 'activate', { license_key: sale.key, instance_name: XSS });
      const page = await sale.seller.client.get(seatsOf(sale.sale.license_id));
      assert.equal(page.status, 200);
      assert.match(page.text, /1 of 2 seats in use \(the product’s limit\)\./);
      assert.ok(page.text.includes(sale.sale.email), 'the buyer is named');
      assert.ok(!page.text.includes(XSS) && page.text.includes('&lt;script>'), 'the instance name is text');
      assert.ok(!page.text.includes(sale.key), 'the key is masked');
    });

    it("404: another seller's license reads as missing", async () => {
      const sale = await seatedSale(s(), 2);
      const stranger = await newSeller(s());
      assert.equal((await stranger.client.get(seatsOf(sale.sale.license_id))).status, 404);
    });
  });

  describe('POST /licenses/:licenseId/activations/:instanceId/free', () => {
    it('asks first (a dialog, else a confirmation page), then frees the seat; a reload frees nothing more', async () => {
      const sale = await seatedSale(s(), 2);
      const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'Studio Mac' });
      await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'Laptop' });
      const client = sale.seller.client;
      const page = await client.get(seatsOf(sale.sale.license_id));
      assert.match(page.text, /data-confirm="The application on “Studio Mac” stops validating at once; the seat is free for another activation \(1 of 2 in use afterwards\)\."/);
      const csrf = csrfOf(page.text);
      const freePath = `${seatsOf(sale.sale.license_id)}/${a.body.instance.id}/free`;

      const ask = await client.post(freePath, { form: { _csrf: csrf } });
      assert.equal(ask.status, 303);
      assert.equal(ask.headers.get('location'), freePath);
      const confirm = await client.get(freePath);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Free the seat of “Studio Mac”\?/);
      assert.match(confirm.text, /name="confirmed" value="yes"/);
      assert.equal((await activations(s(), sale.sale.license_id)).length, 2, 'asking frees nothing');

      const deactivated = (await audited(s(), sale.seller.user.id, 'license.deactivated')).length;
      const done = await client.post(freePath, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${seatsOf(sale.sale.license_id)}?done=freed`);
      assert.deepEqual((await activations(s(), sale.sale.license_id)).map((r) => r.name), ['Laptop']);
      assert.equal((await audited(s(), sale.seller.user.id, 'license.deactivated')).length, deactivated + 1);
      const after = await reloadTwice(s(), client, done, sale.seller.user.id);
      assert.match(after, /The seat was freed\./);
      assert.match(after, /1 of 2 seats in use/);

      const again = await client.post(freePath, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(again.status, 404, 'a freed seat is gone');
    });

    it("404 and 403: another seller's seat cannot be freed; without the CSRF token nothing happens", async () => {
      const sale = await seatedSale(s(), 2);
      const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'Desk' });
      const freePath = `${seatsOf(sale.sale.license_id)}/${a.body.instance.id}/free`;
      const stranger = await newSeller(s());
      const strangerCsrf = csrfOf((await stranger.client.get('/products')).text);
      assert.equal((await stranger.client.get(freePath)).status, 404);
      assert.equal((await stranger.client.post(freePath, { form: { _csrf: strangerCsrf, confirmed: 'yes' } })).status, 404);
      assert.equal((await sale.seller.client.post(freePath, { form: { confirmed: 'yes' } })).status, 403);
      assert.equal((await activations(s(), sale.sale.license_id)).length, 1);
    });
  });

  describe('POST /licenses/:licenseId/activations/limit', () => {
    it("303: sets this license's own seat count, then follows the product again; audited", async () => {
      const sale = await seatedSale(s(), 2);
      const client = sale.seller.client;
      const csrf = csrfOf((await client.get(seatsOf(sale.sale.license_id))).text);
      const changed = (await audited(s(), sale.seller.user.id, 'license.activation_limit_changed')).length;
      const res = await client.post(`${seatsOf(sale.sale.license_id)}/limit`, { form: { _csrf: csrf, activation_limit: '5' } });
      assert.equal(res.headers.get('location'), `${seatsOf(sale.sale.license_id)}?done=limit`);
      const page = await reloadTwice(s(), client, res, sale.seller.user.id);
      assert.match(page, /0 of 5 seats in use \(this license’s own limit\)\./);
      const back = await client.post(`${seatsOf(sale.sale.license_id)}/limit`, { form: { _csrf: csrf, activation_limit: '' } });
      assert.equal(back.status, 303);
      assert.match((await client.get(back.headers.get('location')!)).text, /0 of 2 seats in use \(the product’s limit\)\./);
      assert.equal((await audited(s(), sale.seller.user.id, 'license.activation_limit_changed')).length, changed + 2);
    });

    it('400: a bad count re-renders the form with it and the message; nothing changes', async () => {
      const sale = await seatedSale(s(), 2);
      const client = sale.seller.client;
      const csrf = csrfOf((await client.get(seatsOf(sale.sale.license_id))).text);
      const before = await auditCount(s(), sale.seller.user.id);
      const res = await client.post(`${seatsOf(sale.sale.license_id)}/limit`, { form: { _csrf: csrf, activation_limit: '0' } });
      assert.equal(res.status, 400);
      assert.match(alertOf(res.text), /activation_limit.*must be a whole number from 1 to 100000/);
      assert.ok(res.text.includes('value="0"'));
      assert.equal(await auditCount(s(), sale.seller.user.id), before);
    });
  });
});
