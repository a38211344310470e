import { randomInt } from 'node:crypto';
import type { Actor, AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { recordAudit } from '../audit/record.js';
import { newId } from '../util/ids.js';
import * as security from './security-store.js';

export const RECOVERY_CODE_COUNT = 10;
/** 32 letters and digits without the look-alikes (l, o, 0, 1): 5 bits a character, 50 a code. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** `k7m2p-x9qrt`: what the person writes down. */
function newCode(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** What was typed, as stored: lowercase, without spaces or dashes. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]+/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z0-9]{10}$/.test(normaliseRecoveryCode(input));
}

function hashCode(ctx: AppContext, code: string): string {
  return ctx.keys.hash(`recovery-code:${normaliseRecoveryCode(code)}`);
}

/** Ten new codes replace any old ones; only their keyed hashes are stored. Returns them to show once. */
export async function issueRecoveryCodes(ctx: AppContext, db: Executor, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await security.replaceRecoveryCodes(db, userId, codes.map((c) => ({ id: newId(), code_hash: hashCode(ctx, c) })), ctx.clock());
  return codes;
}

/** Uses a recovery code up (each works once): true when it was one of the account's unused codes. */
export async function redeemRecoveryCode(ctx: AppContext, userId: string, input: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(input)) return false;
  return security.useRecoveryCode(ctx.db, userId, hashCode(ctx, input), ctx.clock());
}

/** New codes from the security page: the old ones stop working. */
export async function regenerateRecoveryCodes(ctx: AppContext, userId: string, actor: Actor): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const codes = await issueRecoveryCodes(ctx, trx, userId);
    await recordAudit(trx, { actor, userId, action: 'recovery_codes.regenerated', target: { type: 'user', id: userId } });
    return codes;
  });
}
