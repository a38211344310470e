import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { LicenseClient, LicenseRefused, memoryCache } from '../../packages/license-client/src/index.js';
import { manage } from './fixtures.js';
import { activations, seatedSale } from '../lemonsqueezy/fixtures.js';

// packages/license-client against the real server: every call goes over HTTP to the test server.
describeEachDialect('packages/license-client against Tessera', (s) => {
  it('verifyOnline, activate, validate, deactivate', async () => {
    const sale = await seatedSale(s(), 1);
    const client = new LicenseClient({ baseUrl: s().url, productId: sale.product.id });
    const verified = await client.verifyOnline(sale.key, { incrementUses: false });
    assert.equal(verified.success, true);
    assert.equal(verified.uses, 0);
    const activated = await client.activate(sale.key, 'ci box', { fingerprint: 'fp' });
    const instanceId = (activated.instance as { id: string }).id;
    assert.equal(activated.activated, true);
    await assert.rejects(client.activate(sale.key, 'second box'), (err: unknown) => err instanceof LicenseRefused && err.status === 400 && /activation limit/.test(err.message));
    assert.equal((await client.validate(sale.key, instanceId)).valid, true);
    assert.equal((await client.deactivate(sale.key, instanceId)).deactivated, true);
    assert.equal((await activations(s(), sale.sale.license_id)).length, 0);
    await assert.rejects(client.verifyOnline('NOPE'), (err: unknown) => err instanceof LicenseRefused && err.status === 404);
  });

  it('check(): online refreshes the cached file; with the server unreachable the cached file decides until it expires', async () => {
    const sale = await seatedSale(s(), 2, { license_file_ttl: '600' });
    const online = new LicenseClient({ baseUrl: s().url, productId: sale.product.id, clockSkewSeconds: 0 });
    const instanceId = ((await online.activate(sale.key, 'laptop')).instance as { id: string }).id;
    const cache = memoryCache();
    const first = await online.check(sale.key, cache, { instanceId });
    assert.deepEqual([first.valid, first.source], [true, 'online']);
    assert.equal(first.valid && first.claims?.instance?.id, instanceId);
    assert.ok(await cache.get());

    // The same app, offline: nothing listens on port 9.
    const offline = new LicenseClient({ baseUrl: 'http://127.0.0.1:9', productId: sale.product.id, clockSkewSeconds: 0, timeoutMs: 2000 });
    const fallback = await offline.check(sale.key, cache, { instanceId });
    assert.deepEqual([fallback.valid, fallback.source], [true, 'offline']);
    const cached = (await cache.get())!;
    const exp = JSON.parse(Buffer.from(cached.file.split('.')[1]!, 'base64url').toString()).exp as number;
    const late = await offline.check(sale.key, cache, { instanceId, now: (exp + 1) * 1000 });
    assert.deepEqual([late.valid, late.source, !late.valid && late.reason], [false, 'offline', 'expired']);
    const noCache = await offline.check(sale.key, memoryCache());
    assert.deepEqual([noCache.valid, noCache.source], [false, 'offline']);

    // Online again, the seller disabled the key: refused, and the cached file is dropped.
    await manage(s(), 'disable', sale.seller.token, { product_id: sale.product.id, license_key: sale.key });
    const refused = await online.check(sale.key, cache, { instanceId });
    assert.deepEqual([refused.valid, refused.source], [false, 'online']);
    assert.equal(await cache.get(), null);
  });
});
