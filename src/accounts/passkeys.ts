import { utcDay } from '../util/dates.js';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import { afterFactorAdded, afterFactorRemoved } from './second-factor-state.js';
import * as security from './security-store.js';

/** A ceremony's challenge works once, for five minutes. */
const CHALLENGE_TTL_MS = 5 * 60 * 1000;
const REGISTRATION = 'passkey-registration';
const AUTHENTICATION = 'passkey-authentication';

/**
 * Passkeys (WebAuthn, through @simplewebauthn/server) as a second factor. The relying party is
 * the server's public origin (TESSERA_PUBLIC_URL): its host name is the RP ID, so a passkey made
 * on one address works only there. Challenges are stored hashed in `auth_challenges`, each used
 * up by the verification that reads it, so a ceremony's response cannot be replayed.
 */
function relyingParty(ctx: AppContext) {
  const url = new URL(ctx.config.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

/** Loaded on the first ceremony: running its X.509 and CBOR modules cost every start a few per cent, for a rare path. */
const webauthn = () => import('@simplewebauthn/server');

const challengeId = (ctx: AppContext, challenge: string) => ctx.keys.hash(`webauthn:${challenge}`);

async function storeChallenge(ctx: AppContext, userId: string, purpose: string, challenge: string): Promise<void> {
  const now = ctx.clock();
  await security.insertChallenge(ctx.db, { id: challengeId(ctx, challenge), user_id: userId, purpose, payload: null, created_at: now, expires_at: now + CHALLENGE_TTL_MS, consumed_at: null });
}

function useChallenge(ctx: AppContext, userId: string, purpose: string) {
  return (challenge: string) => security.consumeChallenge(ctx.db, challengeId(ctx, challenge), purpose, ctx.clock(), userId);
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export async function listPasskeys(ctx: AppContext, userId: string): Promise<Passkey[]> {
  const rows = await security.listPasskeys(ctx.db, userId);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function passkeyRegistrationOptions(ctx: AppContext, user: { id: string; email: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpID } = relyingParty(ctx);
  const existing = await security.listPasskeys(ctx.db, user.id);
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: 'Tessera',
    rpID,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, ...(p.transports ? { transports: JSON.parse(p.transports) as string[] } : {}) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(ctx, user.id, REGISTRATION, options.challenge);
  return options;
}

/** Verifies a new passkey and stores its public key; the account's first factor brings recovery codes. */
export async function registerPasskey(
  ctx: AppContext,
  user: { id: string },
  input: { response: unknown; name: string },
  actor: Actor,
): Promise<{ recoveryCodes: string[] | null; passkey: Passkey }> {
  const { rpID, origin } = relyingParty(ctx);
  let verification;
  try {
    verification = await (await webauthn()).verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: useChallenge(ctx, user.id, REGISTRATION),
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    throw new TesseraError('PASSKEY_INVALID');
  }
  if (!verification.verified) throw new TesseraError('PASSKEY_INVALID');
  const { credential } = verification.registrationInfo;
  const now = ctx.clock();
  const name = input.name.trim().slice(0, 100) || `Passkey added ${utcDay(now)}`;
  const id = newId();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await security.insertPasskey(trx, {
        id,
        user_id: user.id,
        credential_id: credential.id,
        public_key: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ? JSON.stringify(credential.transports) : null,
        name,
        created_at: now,
        last_used_at: null,
      });
      const recoveryCodes = await afterFactorAdded(ctx, trx, user.id);
      await recordAudit(trx, { actor, userId: user.id, action: 'passkey.added', target: { type: 'passkey', id }, metadata: { name } });
      return { recoveryCodes, passkey: { id, name, createdAt: now, lastUsedAt: null } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new TesseraError('PASSKEY_INVALID', 'This passkey is already registered.');
    throw err;
  }
}

export async function passkeyAuthenticationOptions(ctx: AppContext, userId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpID } = relyingParty(ctx);
  const passkeys = await security.listPasskeys(ctx.db, userId);
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.credential_id, ...(p.transports ? { transports: JSON.parse(p.transports) as string[] } : {}) })),
    userVerification: 'preferred',
  });
  await storeChallenge(ctx, userId, AUTHENTICATION, options.challenge);
  return options;
}

/** Checks a passkey's answer to this account's latest challenge; the signature counter moves on. */
export async function verifyPasskey(ctx: AppContext, userId: string, response: unknown): Promise<boolean> {
  const credentialId = (response as { id?: unknown } | null)?.id;
  if (typeof credentialId !== 'string' || credentialId.length > 1024) return false;
  const passkey = await security.findPasskeyByCredentialId(ctx.db, userId, credentialId);
  if (!passkey) return false;
  const { rpID, origin } = relyingParty(ctx);
  try {
    const result = await (await webauthn()).verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: useChallenge(ctx, userId, AUTHENTICATION),
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
        counter: passkey.counter,
        ...(passkey.transports ? { transports: JSON.parse(passkey.transports) as never[] } : {}),
      },
      requireUserVerification: false,
    });
    if (!result.verified) return false;
    await security.updatePasskeyUse(ctx.db, passkey.id, result.authenticationInfo.newCounter, ctx.clock());
    return true;
  } catch {
    return false;
  }
}

/** Removes a passkey (the caller has checked a fresh second factor); another account's is not found. */
export async function removePasskey(ctx: AppContext, userId: string, passkeyId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await security.deletePasskey(trx, userId, passkeyId);
    if (!gone) throw new TesseraError('PASSKEY_NOT_FOUND');
    await afterFactorRemoved(ctx, trx, userId);
    await recordAudit(trx, { actor, userId, action: 'passkey.removed', target: { type: 'passkey', id: gone.id }, metadata: { name: gone.name } });
  });
}
