import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveServerKeys } from '../../src/credentials/server-keys.js';
import { openPayload, sealPayload } from '../../src/webhooks/outbox.js';
import { TEST_SECRET } from '../support/harness.js';

const keys = deriveServerKeys(TEST_SECRET);

describe('webhook payloads at rest (src/webhooks/outbox.ts)', () => {
  it('seals a payload so the stored text holds none of it, and opens it to the same JSON', () => {
    const json = JSON.stringify({ license_key: 'ABCD1234-EFGH5678-IJKL9012-MNOP3456', email: 'buyer@example.com', resource_name: 'sale' });
    const sealed = sealPayload(keys, json);
    assert.match(sealed, /^v1\./);
    assert.ok(!sealed.includes('ABCD1234') && !sealed.includes('buyer@example.com'));
    assert.notEqual(sealPayload(keys, json), sealed, 'a fresh IV each time');
    assert.equal(openPayload(keys, sealed), json);
  });

  it('opens a row queued before payloads were sealed (the JSON itself) as it is', () => {
    const legacy = '{"sale_id":"x","resource_name":"sale"}';
    assert.equal(openPayload(keys, legacy), legacy);
  });

  it('refuses a sealed payload that was changed, or sealed under another server key', () => {
    const sealed = sealPayload(keys, '{"a":1}');
    const [v, iv, body, tag] = sealed.split('.');
    // One bit of the ciphertext flipped (in its bytes: a base64url character may carry unused bits).
    const bytes = Buffer.from(body!, 'base64url');
    bytes[0]! ^= 1;
    const flipped = `${v}.${iv}.${bytes.toString('base64url')}.${tag}`;
    assert.notEqual(flipped, sealed);
    assert.throws(() => openPayload(keys, flipped));
    assert.throws(() => openPayload(deriveServerKeys('another-secret-another-secret-another-secret'), sealed));
  });
});
