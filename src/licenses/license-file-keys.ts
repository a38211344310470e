import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { AppContext } from '../context.js';
import type { SigningKeyRow } from './activation-tables.js';

/** Decrypted signing keys by kid, per context: as many as the table holds rows, never client input. */
const privateKeys = new WeakMap<AppContext, Map<string, { key: KeyObject; signedUntil: number }>>();

const DAY = 24 * 3600 * 1000;

function cacheOf(ctx: AppContext) {
  let cache = privateKeys.get(ctx);
  if (!cache) privateKeys.set(ctx, (cache = new Map()));
  return cache;
}

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
  let row = await ctx.db.selectFrom('license_signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').orderBy('kid').executeTakeFirst();
  if (!row) {
    row = await newKeyRow(ctx, Date.now());
    await ctx.db.insertInto('license_signing_keys').values(row).execute();
  }
  const cache = cacheOf(ctx);
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
  const entry = cacheOf(ctx).get(kid);
  if (entry && entry.signedUntil >= expiresAt) return;
  const until = expiresAt + DAY;
  await ctx.db.updateTable('license_signing_keys').set({ signed_until: until }).where('kid', '=', kid).where('signed_until', '<', until).execute();
  if (entry) entry.signedUntil = until;
}

/** Retires every signing key and makes a new one the current; returns the new kid and the retired ones. */
export async function rotateSigningKey(ctx: AppContext): Promise<{ kid: string; retired: string[] }> {
  const now = Date.now();
  const row = await newKeyRow(ctx, now);
  const retired = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('license_signing_keys').select('kid').where('retired_at', 'is', null).execute();
    await trx.updateTable('license_signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
    await trx.insertInto('license_signing_keys').values(row).execute();
    return current.map((r) => r.kid);
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

export async function listSigningKeys(ctx: AppContext, now = Date.now()): Promise<SigningKeyInfo[]> {
  const rows = await ctx.db.selectFrom('license_signing_keys').select(['kid', 'created_at', 'retired_at', 'signed_until']).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ ...r, published: r.retired_at === null || r.signed_until > now }));
}

/** The JWKS of /.well-known/jwks.json: the current keys (one is created if none), and retired ones until their last file expires. */
export async function publishedJwks(ctx: AppContext, now = Date.now()): Promise<{ keys: JWK[] }> {
  // Never empty: the key that will sign the first file is published before it does.
  await currentSigningKey(ctx);
  const rows = await ctx.db
    .selectFrom('license_signing_keys')
    .select('public_jwk')
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('signed_until', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
  return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
}
