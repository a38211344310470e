import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { afterFactorAdded, afterFactorRemoved } from './second-factor-state.js';
import * as security from './security-store.js';

const PERIOD_SECONDS = 30;
/** A code of the step before or after the current one is accepted too (clock drift). */
const WINDOW = 1;

function totpOf(ctx: AppContext, email: string, secret: Secret): TOTP {
  return new TOTP({ issuer: `Tessera (${new URL(ctx.config.publicUrl).host})`, label: email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret });
}

export interface TotpSetup {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** otpauth:// URI the QR code encodes. */
  uri: string;
  /** The QR code as an SVG document (rendered here, server-side). */
  qrSvg: string;
}

/** A started set-up waiting for its first code: a new secret, stored encrypted, replacing an earlier unconfirmed one. */
export async function startTotpSetup(ctx: AppContext, user: { id: string; email: string }): Promise<void> {
  const existing = await security.findTotp(ctx.db, user.id);
  if (existing?.confirmed_at) throw new TesseraError('VALIDATION_FAILED', 'An authenticator app is already set up. Remove it first to set up another.');
  const secret = new Secret({ size: 20 });
  await security.putPendingTotp(ctx.db, user.id, ctx.keys.encrypt(secret.base32), ctx.clock());
}

/** The waiting set-up's secret, URI and QR code; null when none is waiting. */
export async function pendingTotpSetup(ctx: AppContext, user: { id: string; email: string }): Promise<TotpSetup | null> {
  const row = await security.findTotp(ctx.db, user.id);
  if (!row || row.confirmed_at !== null) return null;
  const base32 = ctx.keys.decrypt(row.secret_ciphertext);
  const uri = totpOf(ctx, user.email, Secret.fromBase32(base32)).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { secret: base32.replace(/(.{4})/g, '$1 ').trim(), uri, qrSvg };
}

/** The time step a code belongs to, when it is right for now (±1 step); null otherwise. */
function stepOf(ctx: AppContext, email: string, base32: string, code: string): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const now = ctx.clock();
  const delta = totpOf(ctx, email, Secret.fromBase32(base32)).validate({ token, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/**
 * Finishes the set-up with the app's first code: the authenticator counts from now on, and the
 * first second factor of an account comes with ten recovery codes (returned to show once).
 */
export async function confirmTotpSetup(ctx: AppContext, user: { id: string; email: string }, code: string, actor: Actor): Promise<{ recoveryCodes: string[] | null }> {
  const row = await security.findTotp(ctx.db, user.id);
  if (!row || row.confirmed_at !== null) throw new TesseraError('TOTP_SETUP_MISSING');
  const step = stepOf(ctx, user.email, ctx.keys.decrypt(row.secret_ciphertext), code);
  if (step === null) throw new TesseraError('SECOND_FACTOR_INVALID', 'That code is not right. Enter the 6-digit code your authenticator app shows now.');
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await security.claimTotpStep(trx, user.id, step, ctx.clock()))) throw new TesseraError('SECOND_FACTOR_INVALID');
    const recoveryCodes = await afterFactorAdded(ctx, trx, user.id);
    await recordAudit(trx, { actor, userId: user.id, action: 'totp.enabled', target: { type: 'user', id: user.id } });
    return { recoveryCodes };
  });
}

/** Checks a code of the account's confirmed authenticator; each code works once. */
export async function verifyTotpCode(ctx: AppContext, user: { id: string; email: string }, code: string): Promise<boolean> {
  const row = await security.findTotp(ctx.db, user.id);
  if (!row || row.confirmed_at === null) return false;
  const step = stepOf(ctx, user.email, ctx.keys.decrypt(row.secret_ciphertext), code);
  if (step === null) return false;
  return security.claimTotpStep(ctx.db, user.id, step, null);
}

export async function hasTotp(ctx: AppContext, userId: string): Promise<boolean> {
  const row = await security.findTotp(ctx.db, userId);
  return row?.confirmed_at != null;
}

/** Removes the authenticator app (the caller has checked a fresh second factor). */
export async function removeTotp(ctx: AppContext, userId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await security.deleteTotp(trx, userId);
    if (Number(gone.numDeletedRows) === 0) return;
    await afterFactorRemoved(ctx, trx, userId);
    await recordAudit(trx, { actor, userId, action: 'totp.disabled', target: { type: 'user', id: userId } });
  });
}
