import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { describeDevice } from './device.js';
import { newSignInMail } from './mail-templates.js';
import * as security from './security-store.js';

/** The long-lived cookie that tells a browser the account has seen before. */
export const DEVICE_COOKIE = 'tessera_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;
const FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * After a sign-in: a browser whose device cookie the account knows is just noted; any other is
 * remembered (its cookie's keyed hash in `known_devices`) and, unless it is the account's first
 * (sign-up), the owner of the account gets a "new sign-in" email. Returns the cookie to set.
 */
export async function recogniseDevice(
  ctx: AppContext,
  user: { id: string; email: string },
  cookie: string | undefined,
  seen: { userAgent: string | null; ip: string | null; quiet?: boolean },
): Promise<{ cookie: string; isNew: boolean }> {
  const valid = typeof cookie === 'string' && FORMAT.test(cookie);
  const value = valid ? cookie : randomBytes(32).toString('base64url');
  const hash = ctx.keys.hash(`device:${value}`);
  const now = ctx.clock();
  if (valid && (await security.findKnownDevice(ctx.db, user.id, hash))) {
    await security.touchKnownDevice(ctx.db, user.id, hash, now);
    return { cookie: value, isNew: false };
  }
  const before = await security.countKnownDevices(ctx.db, user.id);
  try {
    await security.insertKnownDevice(ctx.db, user.id, hash, seen.userAgent?.slice(0, 512) ?? null, now);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { cookie: value, isNew: false }; // the same browser signing in twice at once
  }
  if (!seen.quiet && before > 0) {
    const server = new URL(ctx.config.publicUrl).host;
    const content = newSignInMail({
      device: describeDevice(seen.userAgent),
      ip: seen.ip ?? 'unknown',
      when: new Date(now).toUTCString(),
      server,
      securityUrl: `${ctx.config.publicUrl}/settings/sessions`,
    });
    await ctx.mail.send({ userId: user.id, kind: 'new_sign_in', to: user.email, ...content, secrets: [] });
  }
  return { cookie: value, isNew: true };
}
