import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LicenseView } from '../../src/licenses/store.js';
import type { CachedLicense } from '../../src/licenses/verify/cache.js';
import { REFUSALS, foundLicense, refusalError, verdict } from '../../src/licenses/verify/verdict.js';
import { ERRORS } from '../../src/http/errors.js';

// The one ordered verdict of license verification (src/licenses/verify/verdict.ts), checked on
// its own: each check in its place, and each refusal's answer. The HTTP answers themselves are
// in verify.test.ts.

const NOW = 1_700_000_000_000;
const view = (over: Partial<LicenseView> = {}) =>
  ({
    id: 'lic',
    key_hash: 'current',
    grace_key_hash: null,
    grace_ends_at: null,
    product_external_id: 'prod',
    unique_permalink: 'abc',
    custom_permalink: 'My-App',
    access_revoked_at: null,
    disabled_at: null,
    seller_licenses_stopped_at: null,
    ...over,
  }) as LicenseView;
const byKey = (v: LicenseView, keyHash = v.key_hash): CachedLicense => ({ view: v, keyHash });
const ref = (over: { productId?: string | null; productPermalink?: string | null } = {}) => ({ licenseKey: 'KEY', productId: 'prod', productPermalink: null, ...over });

describe('verdict', () => {
  it('accepts a valid license by its current key, or a retired one in its grace period', () => {
    assert.equal(verdict(ref(), byKey(view()), NOW), 'valid');
    assert.equal(verdict(ref({ productId: null, productPermalink: 'my-app' }), byKey(view()), NOW), 'valid');
    assert.equal(verdict(ref(), byKey(view({ grace_key_hash: 'old', grace_ends_at: NOW + 1 }), 'old'), NOW), 'valid_grace_key');
  });

  it('refuses in the contract order: found, grace, product named, product, access, disabled, seller stopped', () => {
    const everything = view({ grace_key_hash: 'old', grace_ends_at: NOW, access_revoked_at: 1, disabled_at: 1, seller_licenses_stopped_at: 1 });
    assert.equal(verdict(ref(), undefined, NOW), 'not_found');
    assert.equal(verdict(ref({ productId: 'other' }), byKey(everything, 'old'), NOW), 'grace_key_expired', 'the grace period ends at grace_ends_at');
    assert.equal(verdict(ref({ productId: null }), byKey(everything), NOW), 'product_id_required');
    assert.equal(verdict(ref({ productId: 'other' }), byKey(everything), NOW), 'wrong_product');
    assert.equal(verdict(ref(), byKey(everything), NOW), 'access_revoked');
    assert.equal(verdict(ref(), byKey(view({ disabled_at: 1, seller_licenses_stopped_at: 1 })), NOW), 'disabled');
    assert.equal(verdict(ref(), byKey(view({ seller_licenses_stopped_at: 1 })), NOW), 'seller_licenses_stopped');
  });

  it('maps each refusal to its status and message once', () => {
    const answers = Object.fromEntries(
      Object.keys(REFUSALS).map((r) => {
        const error = refusalError(r as keyof typeof REFUSALS, byKey(view()));
        return [r, [ERRORS[error.code].status, error.message]];
      }),
    );
    const notFound = [404, 'That license does not exist for the provided product.'];
    assert.deepEqual(answers, {
      not_found: notFound,
      grace_key_expired: notFound,
      product_id_required: [400, "The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to 'prod' in the request."],
      wrong_product: notFound,
      access_revoked: [404, 'Access to the purchase associated with this license has expired.'],
      disabled: [404, 'This license key has been disabled.'],
      seller_licenses_stopped: [404, 'This license key has been disabled.'],
    });
    // Only refusals of a license the key found count on that license's day.
    assert.deepEqual(
      (['valid', 'valid_grace_key', ...Object.keys(REFUSALS)] as const).filter((o) => !foundLicense(o as never)),
      ['not_found', 'grace_key_expired'],
    );
  });
});
