import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { follow, sessionCsrf } from './support/forms.js';
import { licensedProduct, purchase, verify } from './support/catalog.js';

describeEachDialect('Dashboard: products, sales and licenses', (s) => {
  async function sellerWithSale() {
    const seller = await s().signUp();
    const product = await licensedProduct(s(), seller.user.id);
    const buyer = uniqueEmail('buyer');
    const sale = await purchase(s(), seller.user.id, product.id, buyer);
    return { ...seller, product, buyer, sale };
  }
  const licenseRow = (licenseId: string) => s().ctx.db.selectFrom('licenses').selectAll().where('external_id', '=', licenseId).executeTakeFirstOrThrow();
  const audited = (userId: string, action: string) =>
    s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();

  describe('GET /products and /products/:id', () => {
    it('200: lists the products, then a product with its sales, the key masked and the uses', async () => {
      const { client, product, buyer, sale } = await sellerWithSale();
      await verify(s(), product.id, sale.license_key);
      const list = await client.get('/products');
      assert.equal(list.status, 200);
      assert.ok(list.text.includes(`href="/products/${encodeURIComponent(product.id)}">Pro plugin</a>`));
      const page = await client.get(`/products/${encodeURIComponent(product.id)}`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(buyer));
      assert.ok(page.text.includes(`aria-label="License key, hidden">${sale.license_key.slice(0, 4)}••••••••</code>`));
      assert.match(page.text, new RegExp(`<code class="revealed" id="key-[^"]+-text" hidden>${sale.license_key}</code>`));
      assert.match(page.text, /<td data-label="Uses">1<\/td>/);
    });

    it("404: another seller's product reads as missing", async () => {
      const { product } = await sellerWithSale();
      const other = await s().signUp();
      const res = await other.client.get(`/products/${encodeURIComponent(product.id)}`);
      assert.equal(res.status, 404);
      assert.match(res.text, /The product was not found\./);
    });
  });

  describe('POST /products/:id/purchases', () => {
    it('303: records the purchase by hand and shows the new license key', async () => {
      const { client, user, product } = await sellerWithSale();
      const csrf = await sessionCsrf(client, `/products/${encodeURIComponent(product.id)}`);
      const email = uniqueEmail('manual');
      const res = await client.post(`/products/${encodeURIComponent(product.id)}/purchases`, { form: { _csrf: csrf, email, full_name: 'Ada', quantity: '2', price: '' } });
      assert.equal(res.status, 303);
      const row = await s().ctx.db.selectFrom('purchases').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      assert.equal(row.seller_id, user.id);
      assert.equal(row.quantity, 2);
      assert.equal(res.headers.get('location'), `/products/${encodeURIComponent(product.id)}?recorded=${encodeURIComponent(row.external_id)}`);
      const page = await client.get(res.headers.get('location')!);
      const key = /id="recorded-key">([^<]+)</.exec(page.text)?.[1];
      assert.ok(key);
      assert.equal((await verify(s(), product.id, key, false)).body.success, true);
    });

    it('400: a bad email re-renders the form with the message and what was typed; nothing is recorded', async () => {
      const { client, product } = await sellerWithSale();
      const csrf = await sessionCsrf(client, `/products/${encodeURIComponent(product.id)}`);
      const res = await client.post(`/products/${encodeURIComponent(product.id)}/purchases`, { form: { _csrf: csrf, email: 'not-an-email', quantity: '1' } });
      assert.equal(res.status, 400);
      assert.match(res.text, /role="alert">The 'email' parameter must be a valid email address\./);
      assert.match(res.text, /value="not-an-email"/, 'what was typed is kept');
      assert.equal(await s().ctx.db.selectFrom('purchases').select('id').where('email', '=', 'not-an-email').executeTakeFirst(), undefined);
    });

    it('403: without the CSRF token nothing is recorded', async () => {
      const { client, product } = await sellerWithSale();
      const email = uniqueEmail('forged');
      const res = await client.post(`/products/${encodeURIComponent(product.id)}/purchases`, { form: { email } });
      assert.equal(res.status, 403);
      assert.equal(await s().ctx.db.selectFrom('purchases').select('id').where('email', '=', email).executeTakeFirst(), undefined);
    });
  });

  describe('POST /licenses (search)', () => {
    it('finds a sale by buyer email and by license key, never another seller’s', async () => {
      const { client, buyer, sale } = await sellerWithSale();
      const csrf = await sessionCsrf(client, '/licenses');
      const byEmail = await follow(client, await client.post('/licenses', { form: { _csrf: csrf, q: buyer } }));
      assert.ok(!byEmail.location.includes(buyer), 'the query is not in the URL');
      assert.match((await client.get(byEmail.location)).text, /Already shown: search again/);
      assert.match(byEmail.text, /1 sale found\./);
      assert.ok(byEmail.text.includes(sale.license_key));
      const byKey = await follow(client, await client.post('/licenses', { form: { _csrf: csrf, q: sale.license_key } }));
      assert.match(byKey.text, /1 sale found\./);

      const other = await s().signUp();
      const theirs = await follow(other.client, await other.client.post('/licenses', { form: { _csrf: await sessionCsrf(other.client, '/licenses'), q: sale.license_key } }));
      assert.match(theirs.text, /No sale of yours matches/);
      assert.ok(!theirs.text.includes(buyer));
    });
  });

  describe('POST /licenses/:licenseId/:action', () => {
    it('disable then enable: verification fails, then passes again; both audited', async () => {
      const { client, user, product, sale } = await sellerWithSale();
      const csrf = await sessionCsrf(client, '/licenses');
      const back = `/products/${encodeURIComponent(product.id)}`;
      const ask = await follow(client, await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/disable`, { form: { _csrf: csrf, return_to: back } }));
      assert.match(ask.text, /will stop verifying at once/);
      assert.equal((await licenseRow(sale.license_id)).disabled_at, null, 'nothing changes before the confirmation');
      const off = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/disable`, { form: { _csrf: csrf, return_to: back, confirmed: 'yes' } });
      assert.equal(off.status, 303);
      assert.equal(off.headers.get('location'), `${back}?done=disable`);
      assert.notEqual((await licenseRow(sale.license_id)).disabled_at, null);
      assert.equal((await verify(s(), product.id, sale.license_key)).body.message, 'This license key has been disabled.');
      assert.match((await client.get(off.headers.get('location')!)).text, /License disabled: its key no longer verifies\./);
      await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/enable`, { form: { _csrf: csrf, return_to: back } });
      assert.equal((await licenseRow(sale.license_id)).disabled_at, null);
      assert.equal((await verify(s(), product.id, sale.license_key)).body.success, true);
      assert.equal((await audited(user.id, 'license.disabled')).length, 1);
      assert.equal((await audited(user.id, 'license.enabled')).length, 1);
    });

    it('rotate with a grace period: new key, same uses, old key verifies until the grace ends', async () => {
      const { client, user, product, sale } = await sellerWithSale();
      await verify(s(), product.id, sale.license_key);
      const csrf = await sessionCsrf(client, '/licenses');
      const res = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/rotate`, {
        form: { _csrf: csrf, grace_period: '3600', return_to: `/licenses?sale=${encodeURIComponent(sale.id)}`, confirmed: 'yes' },
      });
      assert.equal(res.status, 303);
      const row = await licenseRow(sale.license_id);
      const newKey = s().ctx.keys.decrypt(row.key_encrypted);
      assert.notEqual(newKey, sale.license_key);
      assert.ok(Math.abs(row.grace_ends_at! - (Date.now() + 3600_000)) < 60_000);
      const page = await client.get(res.headers.get('location')!);
      assert.ok(page.text.includes(newKey));
      assert.match(page.text, /old key valid until/);
      const fresh = await verify(s(), product.id, newKey, false);
      assert.equal(fresh.body.uses, 1);
      assert.equal((await verify(s(), product.id, sale.license_key, false)).body.rotated, true);
      const audit = await audited(user.id, 'license.rotated');
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes(newKey) && !JSON.stringify(audit).includes(sale.license_key));
    });

    it('decrement takes one use off, never below zero', async () => {
      const { client, product, sale } = await sellerWithSale();
      await verify(s(), product.id, sale.license_key);
      const csrf = await sessionCsrf(client, '/licenses');
      for (let i = 0; i < 2; i++) {
        const res = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/decrement`, { form: { _csrf: csrf, return_to: '/products' } });
        assert.equal(res.status, 303);
      }
      assert.equal((await licenseRow(sale.license_id)).uses, 0);
    });

    it('reset sets uses back to 0 and audits the count it replaced', async () => {
      const { client, product, sale, user } = await sellerWithSale();
      for (let i = 0; i < 3; i++) await verify(s(), product.id, sale.license_key);
      const csrf = await sessionCsrf(client, '/licenses');
      const ask = await follow(client, await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/reset`, { form: { _csrf: csrf, return_to: '/products' } }));
      assert.match(ask.text, /goes from 3 back to 0/);
      assert.equal((await licenseRow(sale.license_id)).uses, 3);
      const res = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/reset`, { form: { _csrf: csrf, return_to: '/products', confirmed: 'yes' } });
      assert.equal(res.status, 303);
      assert.equal((await licenseRow(sale.license_id)).uses, 0);
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).where('action', '=', 'license.uses_reset').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.metadata!).previous_uses, 3);
      const again = await verify(s(), product.id, sale.license_key);
      assert.equal(again.body.uses, 1);
    });

    it("404: another seller's license cannot be touched; 403 without CSRF", async () => {
      const { product, sale, client } = await sellerWithSale();
      const other = await s().signUp();
      const res = await other.client.post(`/licenses/${encodeURIComponent(sale.license_id)}/disable`, { form: { _csrf: await sessionCsrf(other.client), confirmed: 'yes' } });
      assert.equal(res.status, 404);
      assert.equal((await other.client.get(`/licenses/${encodeURIComponent(sale.license_id)}/disable`)).status, 404);
      const forged = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/disable`, { form: { return_to: '/' } });
      assert.equal(forged.status, 403);
      assert.equal((await licenseRow(sale.license_id)).disabled_at, null);
      assert.equal((await verify(s(), product.id, sale.license_key)).body.success, true);
    });

    it('400: a grace period beyond 7 days is refused and the key stays', async () => {
      const { client, sale } = await sellerWithSale();
      const res = await client.post(`/licenses/${encodeURIComponent(sale.license_id)}/rotate`, { form: { _csrf: await sessionCsrf(client), grace_period: '9999999', confirmed: 'yes' } });
      assert.equal(res.status, 400);
      assert.equal(s().ctx.keys.decrypt((await licenseRow(sale.license_id)).key_encrypted), sale.license_key);
    });
  });
});
