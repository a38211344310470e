import assert from 'node:assert/strict';
import { before } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { AppContext } from '../../src/context.js';
import { confirmTotpSetup, pendingTotpSetup, startTotpSetup } from '../../src/accounts/totp.js';
import type { Response } from '../support/client.js';

const SEED = { type: 'cli' as const, id: null, ip: null };

/** The 6-digit code of a base32 secret at a time (what the person's app shows). */
export function totpCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}

/**
 * Turns TOTP on for a seeded account through the services the security page runs (secret, first
 * code, recovery codes), at the context's clock. Returns the secret and the ten codes.
 */
export async function enableTotp(ctx: AppContext, user: { id: string; email: string }): Promise<{ secret: string; recoveryCodes: string[] }> {
  await startTotpSetup(ctx, user);
  const setup = await pendingTotpSetup(ctx, user);
  assert.ok(setup);
  const secret = setup.secret.replace(/\s+/g, '');
  const { recoveryCodes } = await confirmTotpSetup(ctx, user, totpCode(secret, ctx.clock()), SEED);
  assert.ok(recoveryCodes);
  return { secret, recoveryCodes };
}

/** A settable clock on a test server's context: `clock.at` is now; `advance(ms)` moves it. */
export function fakeClock(ctx: AppContext, start = Date.now()) {
  const clock = {
    at: start,
    advance(ms: number) {
      clock.at += ms;
    },
  };
  ctx.clock = () => clock.at;
  return clock;
}

/**
 * The fake clock of a describe block, set before its tests (`before`), and the TOTP code of the
 * next 30-second step: the clock moves on with each code, so no two codes of a test share a step.
 */
export function totpClock(s: () => { ctx: AppContext }) {
  let clock!: ReturnType<typeof fakeClock>;
  before(() => {
    clock = fakeClock(s().ctx);
  });
  return {
    get at() {
      return clock.at;
    },
    advance: (ms: number) => clock.advance(ms),
    nextCode(secret: string) {
      clock.advance(30_000);
      return totpCode(secret, clock.at);
    },
  };
}

/** `name=value` of a cookie a response set. */
export function cookieOf(res: Response, name: string): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return set?.split(';')[0];
}

/** The rows of an audit action for an account. */
export function auditOf(ctx: AppContext, userId: string, action: string) {
  return ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', userId).where('action', '=', action).execute();
}
