import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { activations, lemon, seatedSale } from '../lemonsqueezy/fixtures.js';

// Real HTTP, all requests in flight at once: the seat count is checked and taken in one
// transaction holding the license (row lock on PostgreSQL, IMMEDIATE transactions on SQLite).
describeEachDialect('Activations under concurrency', (s) => {
  it('200 concurrent activations of a 3-seat key leave exactly 3 instances; the other 197 are refused', async () => {
    const sale = await seatedSale(s(), 3);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => lemon(s(), 'activate', { license_key: sale.key, instance_name: `machine ${i}` }, i % 2 ? 'json' : 'form')),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 400);
    assert.equal(ok.length, 3);
    assert.equal(refused.length, 197);
    assert.ok(refused.every((r) => r.body.error === 'This license key has reached the activation limit.' && r.body.license_key.activation_usage === 3));
    assert.deepEqual(ok.map((r) => r.body.license_key.activation_usage).sort(), [1, 2, 3]);
    const stored = await activations(s(), sale.sale.license_id);
    assert.equal(stored.length, 3);
    assert.deepEqual(new Set(stored.map((a) => a.id)), new Set(ok.map((r) => r.body.instance.id)));
  });

  it('concurrent deactivations and activations never exceed the limit, and each freed seat is taken once', async () => {
    const sale = await seatedSale(s(), 2);
    const first = await Promise.all([0, 1].map((i) => lemon(s(), 'activate', { license_key: sale.key, instance_name: `a${i}` })));
    const calls = [
      ...first.map((r) => lemon(s(), 'deactivate', { license_key: sale.key, instance_id: r.body.instance.id })),
      ...Array.from({ length: 40 }, (_, i) => lemon(s(), 'activate', { license_key: sale.key, instance_name: `b${i}` })),
    ];
    const results = await Promise.all(calls);
    assert.ok(results.slice(0, 2).every((r) => r.status === 200 && r.body.deactivated === true));
    const taken = results.slice(2).filter((r) => r.status === 200).length;
    assert.ok(taken >= 0 && taken <= 2, `took ${taken} seats`);
    const stored = await activations(s(), sale.sale.license_id);
    assert.ok(stored.length <= 2);
    assert.equal(stored.filter((a) => a.name.startsWith('b')).length, taken);
  });
}, { TESSERA_LICENSE_VERIFY_FAILURES_PER_IP: '100000' });
