import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { randomPooled } from '../util/entropy.js';

/** Keys derived from the server secret, one per purpose, so no key is ever used for two jobs. */
export interface ServerKeys {
  /** HMAC-SHA-256 of a secret, hex: how every secret is stored and looked up. */
  hash(value: string): string;
  /** AES-256-GCM for secrets the owner may see again (license keys, recoverable API keys). */
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** A keyed MAC for short-lived signed values (CSRF tokens, ...); purpose separates domains. */
  sign(purpose: string, value: string): string;
}

function derive(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('tessera'), Buffer.from(info), 32));
}

/** A key object made once: createHmac and createCipheriv given a raw Buffer build one on every call (several times an HMAC's own cost). */
const keyObject = (secret: string, info: string): KeyObject => createSecretKey(derive(secret, info));

export function deriveServerKeys(secret: string): ServerKeys {
  const hashKey = keyObject(secret, 'credential-hash');
  const encKey = keyObject(secret, 'secret-encryption');
  const signKey = keyObject(secret, 'signature');
  return {
    hash: (value) => createHmac('sha256', hashKey).update(value, 'utf8').digest('hex'),
    encrypt(plaintext) {
      const iv = randomPooled(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(ciphertext) {
      const [version, iv, body, tag] = ciphertext.split('.');
      if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('Unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    sign: (purpose, value) => createHmac('sha256', signKey).update(purpose).update('\0').update(value).digest('base64url'),
  };
}
