import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { verifyOffline } from '../../packages/license-client/src/index.js';
import { listSigningKeys, publishedJwks, rotateSigningKey } from '../../src/licenses/license-file-keys.js';
import { manage, send } from './fixtures.js';
import { lemon, metaOf, seatedSale } from '../lemonsqueezy/fixtures.js';

const fileOf = (s: TestServer, params: Record<string, unknown>) => send(s.client(), 'POST', '/v2/licenses/file', params);
const jwksOf = async (s: TestServer) => (await s.client().get('/.well-known/jwks.json')).body;

/** Flips one character of the payload: the signature no longer matches. */
function tamper(file: string): string {
  const [h, p, sig] = file.split('.');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
  claims.activation_limit = 1000;
  return [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
}

describeEachDialect('POST /v2/licenses/file and /.well-known/jwks.json', (s) => {
  describe('200', () => {
    it('a file bound to an instance, verified by jose with the published JWKS, claim by claim', async () => {
      const sale = await seatedSale(s(), 2, { license_file_ttl: '3600' });
      const activated = await lemon(s(), 'activate', { license_key: sale.key, instance_name: 'desk', fingerprint: 'fp-9' });
      const res = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id, instance_id: activated.body.instance.id });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['success', 'license_file', 'kid', 'issued_at', 'expires_at']);
      const jwks = await jwksOf(s());
      assert.ok(jwks.keys.some((k: any) => k.kid === res.body.kid && k.kty === 'OKP' && k.crv === 'Ed25519' && k.alg === 'EdDSA' && !('d' in k)));
      const { payload, protectedHeader } = await jwtVerify(res.body.license_file, createLocalJWKSet(jwks), { issuer: s().url, algorithms: ['EdDSA'], typ: 'tessera-license+jwt' });
      assert.equal(protectedHeader.kid, res.body.kid);
      const meta = await metaOf(s(), sale);
      assert.equal(payload.sub, sale.sale.license_id);
      assert.equal(payload.license_id, sale.sale.license_id);
      assert.equal(payload.sale_id, sale.sale.id);
      assert.equal(payload.product_id, meta.productId);
      assert.equal(payload.product_name, meta.productName);
      assert.equal(payload.variant, null);
      assert.equal(payload.status, 'active');
      assert.equal(payload.refunded, false);
      assert.equal(payload.disabled, false);
      assert.equal(payload.activation_limit, 2);
      assert.deepEqual(payload.instance, { id: activated.body.instance.id, name: 'desk', fingerprint: 'fp-9' });
      assert.equal(payload.exp! - payload.iat!, 3600);
      assert.equal('email' in payload, false, 'no email unless the seller opts in');
      assert.equal(res.body.expires_at, new Date(payload.exp! * 1000).toISOString());
    });

    it('verified by the client library too; the email only when the product opts in', async () => {
      const sale = await seatedSale(s(), undefined, { license_file_email: 'true' });
      const res = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      const result = await verifyOffline(res.body.license_file, await jwksOf(s()), { productId: sale.product.id });
      assert.equal(result.valid, true);
      assert.equal(result.valid && result.claims.email, sale.sale.email);
      assert.equal(result.valid && result.claims.instance, null);
      const wrong = await verifyOffline(res.body.license_file, await jwksOf(s()), { productId: 'another' });
      assert.deepEqual([wrong.valid, !wrong.valid && wrong.reason], [false, 'wrong_product']);
    });

    it('a disabled license gets a file saying so, which the client refuses', async () => {
      const sale = await seatedSale(s());
      await manage(s(), 'disable', sale.seller.token, { product_id: sale.product.id, license_key: sale.key });
      const res = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      assert.equal(res.status, 200);
      const result = await verifyOffline(res.body.license_file, await jwksOf(s()));
      assert.deepEqual([result.valid, !result.valid && result.reason, result.claims?.disabled], [false, 'disabled', true]);
    });

    it('a tampered file is refused by jose and by the client', async () => {
      const sale = await seatedSale(s());
      const res = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      const forged = tamper(res.body.license_file);
      const jwks = await jwksOf(s());
      await assert.rejects(jwtVerify(forged, createLocalJWKSet(jwks)), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      const result = await verifyOffline(forged, jwks);
      assert.deepEqual([result.valid, !result.valid && result.reason], [false, 'bad_signature']);
    });

    it('an expired file is refused by jose and by the client (clock given), inside the skew it still passes', async () => {
      const sale = await seatedSale(s(), undefined, { license_file_ttl: '60' });
      const res = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      const jwks = await jwksOf(s());
      const exp = (await jwtVerify(res.body.license_file, createLocalJWKSet(jwks))).payload.exp!;
      const after = new Date((exp + 1) * 1000);
      await assert.rejects(jwtVerify(res.body.license_file, createLocalJWKSet(jwks), { currentDate: after }), { code: 'ERR_JWT_EXPIRED' });
      const late = await verifyOffline(res.body.license_file, jwks, { now: after.getTime(), clockSkewSeconds: 0 });
      assert.deepEqual([late.valid, !late.valid && late.reason], [false, 'expired']);
      const skewed = await verifyOffline(res.body.license_file, jwks, { now: after.getTime(), clockSkewSeconds: 30 });
      assert.equal(skewed.valid, true);
    });

    it('after a rotation, a file signed by the retired key still verifies until its expiry; new files use the new key', async () => {
      const sale = await seatedSale(s(), undefined, { license_file_ttl: '600' });
      const old = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      const { kid, retired } = await rotateSigningKey(s().ctx);
      assert.ok(retired.includes(old.body.kid));
      const jwks = await jwksOf(s());
      assert.deepEqual(new Set(jwks.keys.map((k: any) => k.kid)), new Set([kid, old.body.kid]));
      assert.equal((await jwtVerify(old.body.license_file, createLocalJWKSet(jwks))).protectedHeader.kid, old.body.kid);
      assert.equal((await verifyOffline(old.body.license_file, jwks)).valid, true);
      const fresh = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id });
      assert.equal(decodeProtectedHeader(fresh.body.license_file).kid, kid);
      // Once its last file expired (plus a day), the retired key leaves the JWKS.
      const stored = (await listSigningKeys(s().ctx)).find((k) => k.kid === old.body.kid)!;
      assert.equal(stored.published, true);
      const later = (await publishedJwks(s().ctx, stored.signed_until + 1)).keys.map((k) => k.kid);
      assert.ok(!later.includes(old.body.kid) && later.includes(kid));
    });
  });

  describe('400', () => {
    it('no product_id: the sentence naming it', async () => {
      const sale = await seatedSale(s());
      const res = await fileOf(s(), { license_key: sale.key });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
      assert.match(res.body.message, /product_id/);
    });
  });

  describe('404', () => {
    it('an unknown key, a wrong product, an instance of another license', async () => {
      const sale = await seatedSale(s());
      const other = await seatedSale(s());
      const instance = (await lemon(s(), 'activate', { license_key: other.key, instance_name: 'x' })).body.instance.id;
      const unknown = await fileOf(s(), { license_key: 'NOPE', product_id: sale.product.id });
      assert.deepEqual([unknown.status, unknown.body], [404, { success: false, message: 'That license does not exist for the provided product.' }]);
      const wrong = await fileOf(s(), { license_key: sale.key, product_id: other.product.id });
      assert.equal(wrong.status, 404);
      const foreign = await fileOf(s(), { license_key: sale.key, product_id: sale.product.id, instance_id: instance });
      assert.deepEqual([foreign.status, foreign.body], [404, { success: false, message: 'That instance does not exist for this license.', error: 'Not found' }]);
    });
  });
});
