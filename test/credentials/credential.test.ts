import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_PATTERN, credentialHint, generateCredential, isWellFormedCredential } from '../../src/credentials/credential.js';
import { deriveServerKeys } from '../../src/credentials/server-keys.js';

describe('credential core', () => {
  it('makes typed, fixed-length secrets the published pattern matches', () => {
    const token = generateCredential('at');
    assert.match(token, /^tsr_at_[0-9A-Za-z]{49}$/);
    assert.match(`leaked: ${token} in a paste`, CREDENTIAL_PATTERN);
    assert.ok(isWellFormedCredential(token, 'at'));
  });

  it('never repeats a secret', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateCredential('cs')));
    assert.equal(seen.size, 2000);
  });

  it('rejects a mistyped character through the checksum', () => {
    const token = generateCredential('at');
    const i = 20;
    const typo = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
    assert.equal(isWellFormedCredential(typo, 'at'), false);
  });

  it('rejects another kind, truncation, non-strings and junk', () => {
    const token = generateCredential('at');
    assert.equal(isWellFormedCredential(token, 'cs'), false);
    assert.equal(isWellFormedCredential(token.slice(0, -1), 'at'), false);
    assert.equal(isWellFormedCredential(token + 'x', 'at'), false);
    assert.equal(isWellFormedCredential(undefined, 'at'), false);
    assert.equal(isWellFormedCredential(42, 'at'), false);
    assert.equal(isWellFormedCredential('tsr_at_' + '!'.repeat(49), 'at'), false);
  });

  it('shows only a hint that cannot be used', () => {
    const token = generateCredential('pk');
    assert.equal(credentialHint(token), token.slice(0, 11) + '…');
  });

  it('hashes with HMAC under the server secret: same secret same hash, other secret other hash', () => {
    const token = generateCredential('at');
    const a = deriveServerKeys('a'.repeat(40));
    const b = deriveServerKeys('b'.repeat(40));
    assert.equal(a.hash(token), a.hash(token));
    assert.notEqual(a.hash(token), b.hash(token));
    assert.match(a.hash(token), /^[0-9a-f]{64}$/);
  });

  it('encrypts with AES-256-GCM and detects tampering', () => {
    const keys = deriveServerKeys('s'.repeat(40));
    const sealed = keys.encrypt('ABCD1234-ABCD1234-ABCD1234-ABCD1234');
    assert.ok(!sealed.includes('ABCD1234'));
    assert.equal(keys.decrypt(sealed), 'ABCD1234-ABCD1234-ABCD1234-ABCD1234');
    const parts = sealed.split('.');
    parts[2] = parts[2]!.slice(0, -2) + (parts[2]!.endsWith('AA') ? 'BB' : 'AA');
    assert.throws(() => keys.decrypt(parts.join('.')));
  });
});
