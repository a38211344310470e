import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { newId } from '../util/ids.js';
import * as security from './security-store.js';

/** Links sent by email: a random secret in the link, its keyed hash in `account_tokens`. */
export type AccountTokenPurpose = 'password_reset' | 'email_verification';
const FORMAT = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (ctx: AppContext, token: string) => ctx.keys.hash(`account-token:${token}`);

/** A new link's secret; earlier unused links of the same purpose stop working. */
export async function issueAccountToken(ctx: AppContext, db: Executor, userId: string, purpose: AccountTokenPurpose, ttlSeconds: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock();
  await security.retireAccountTokens(db, userId, purpose, now);
  await security.insertAccountToken(db, { id: newId(), user_id: userId, purpose, token_hash: hashOf(ctx, token), created_at: now, expires_at: now + ttlSeconds * 1000, used_at: null });
  return token;
}

/** The account a live (unused, unexpired) link is for; null for anything else. */
export async function findAccountToken(ctx: AppContext, db: Executor, token: unknown, purpose: AccountTokenPurpose) {
  if (typeof token !== 'string' || !FORMAT.test(token)) return null;
  return (await security.findLiveAccountToken(db, hashOf(ctx, token), purpose, ctx.clock())) ?? null;
}
