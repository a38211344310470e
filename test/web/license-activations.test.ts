import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { csrfOf } from './support/forms.js';
import { activations, lemon, seatedSale } from '../lemonsqueezy/fixtures.js';
import { newSeller } from '../licenses/fixtures.js';

describeEachDialect('Dashboard: a license\'s seats', (s) => {
  it('lists the instances, asks before freeing a seat, frees it (Post/Redirect/Get)', async () => {
    const sale = await seatedSale(s(), 2);
    const a = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'Studio Mac' });
    const client = sale.seller.client;
    const page = await client.get(`/licenses/${encodeURIComponent(sale.sale.license_id)}/activations`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Studio Mac/);
    assert.match(page.text, /1 of 2 seats in use/);
    const confirm = await client.get(`/licenses/${encodeURIComponent(sale.sale.license_id)}/activations/${a.body.instance.id}/free`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Free the seat of “Studio Mac”\?/);
    assert.equal((await activations(s(), sale.sale.license_id)).length, 1, 'asking frees nothing');
    const done = await client.post(`/licenses/${encodeURIComponent(sale.sale.license_id)}/activations/${a.body.instance.id}/free`, { form: { _csrf: csrfOf(confirm.text) } });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `/licenses/${encodeURIComponent(sale.sale.license_id)}/activations?done=freed`);
    assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
    const stranger = await newSeller(s());
    assert.equal((await stranger.client.get(`/licenses/${encodeURIComponent(sale.sale.license_id)}/activations`)).status, 404);
  });
});
