import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { AppContext } from '../context.js';
import type { SigningKeyRow } from './activation-tables.js';
import * as store from './signing-key-store.js';

/** Decrypted signing keys by kid (the context's `signingKeys`): as many as the table holds rows, never client input. */
export type SigningKeyCache = Map<string, { key: KeyObject; signedUntil: number }>;

const DAY = 24 * 3600 * 1000;

/** A new Ed25519 key: public JWK with its RFC 7638 thumbprint as `kid`, private PKCS#8 encrypted. */
async function newKeyRow(ctx: AppContext, now: number): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const pkcs8 = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64url');
  return {
    kid,
    public_jwk: JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: 'EdDSA', use: 'sig' }),
    private_key_encrypted: ctx.keys.encrypt(pkcs8),
    created_at: now,
    retired_at: null,
    signed_until: 0,
  };
}

/**
 * The key that signs now: the newest one not retired. The first file an installation signs
 * creates it (several nodes doing so at once each add one; the newest wins, all are published).
 */
export async function currentSigningKey(ctx: AppContext): Promise<{ kid: string; key: KeyObject }> {
  let row = await store.currentKeyRow(ctx.db);
  if (!row) {
    row = await newKeyRow(ctx, ctx.clock());
    await store.insertKey(ctx.db, row);
  }
  const cache = ctx.signingKeys;
  let entry = cache.get(row.kid);
  if (!entry) {
    const der = Buffer.from(ctx.keys.decrypt(row.private_key_encrypted), 'base64url');
    entry = { key: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), signedUntil: row.signed_until };
    cache.set(row.kid, entry);
  }
  return { kid: row.kid, key: entry.key };
}

/**
 * Records that `kid` signed a file valid until `expiresAt`: a retired key stays published until
 * the last file it signed expires. Written at most about once a day per key (rounded up a day),
 * and only forwards (the statement's guard), so concurrent nodes cannot move it back.
 */
export async function noteSigned(ctx: AppContext, kid: string, expiresAt: number): Promise<void> {
  const entry = ctx.signingKeys.get(kid);
  if (entry && entry.signedUntil >= expiresAt) return;
  const until = expiresAt + DAY;
  await store.extendSignedUntil(ctx.db, kid, until);
  if (entry) entry.signedUntil = until;
}

/** Retires every signing key and makes a new one the current; returns the new kid and the retired ones. */
export async function rotateSigningKey(ctx: AppContext): Promise<{ kid: string; retired: string[] }> {
  const now = ctx.clock();
  const row = await newKeyRow(ctx, now);
  const retired = await ctx.db.transaction().execute(async (trx) => {
    const current = await store.retireCurrentKeys(trx, now);
    await store.insertKey(trx, row);
    return current;
  });
  return { kid: row.kid, retired };
}

export interface SigningKeyInfo {
  kid: string;
  created_at: number;
  retired_at: number | null;
  /** Published in the JWKS now. */
  published: boolean;
  signed_until: number;
}

export async function listSigningKeys(ctx: AppContext, now = ctx.clock()): Promise<SigningKeyInfo[]> {
  const rows = await store.listKeys(ctx.db);
  return rows.map((r) => ({ ...r, published: r.retired_at === null || r.signed_until > now }));
}

/** The JWKS of /.well-known/jwks.json: the current keys (one is created if none), and retired ones until their last file expires. */
export async function publishedJwks(ctx: AppContext, now = ctx.clock()): Promise<{ keys: JWK[] }> {
  // Never empty: the key that will sign the first file is published before it does.
  await currentSigningKey(ctx);
  return { keys: (await store.publishedJwkTexts(ctx.db, now)).map((text) => JSON.parse(text) as JWK) };
}
