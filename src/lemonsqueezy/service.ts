import type { Actor, AppContext } from '../context.js';
import {
  ActivationRefused,
  INSTANCE_ID,
  activate,
  deactivate,
  licenseByKey,
  licenseState,
  seatsOf,
  seeInstance,
} from '../licenses/activation-service.js';
import type { LicenseView } from '../licenses/store.js';
import { LEMON_MESSAGES, LemonError } from './errors.js';
import { lemonText } from './params.js';
import { licenseParts, presentInstance } from './present.js';

/** Who calls: the client's IP (failures count against it) and, behind a trusted proxy, its country. */
export interface Caller {
  ip: string;
  ipCountry: string | null;
}

/**
 * The license the key names. An unknown key is a 404 and counts against the caller's IP in the
 * License API's failure limiter (TESSERA_LICENSE_VERIFY_FAILURES_PER_IP): keys of either API are
 * guessed at the same budget. Over it, 429.
 */
async function requireLicense(ctx: AppContext, params: Record<string, unknown>, caller: Caller): Promise<LicenseView> {
  const limiter = ctx.licenseVerify.limiter;
  const wait = limiter.retryAfter(caller.ip);
  if (wait > 0) throw new LemonError(429, `Too many failed requests. Try again in ${wait} seconds.`, {}, wait);
  const key = lemonText(params, 'license_key', true);
  const license = await licenseByKey(ctx, key);
  if (!license) {
    const over = await limiter.hit(caller.ip);
    if (over > 0) throw new LemonError(429, `Too many failed requests. Try again in ${over} seconds.`, {}, over);
    throw new LemonError(404, LEMON_MESSAGES.keyNotFound);
  }
  return license;
}

/** An instance id of this license, else the 404 (a malformed id names nothing either). */
function instanceIdOf(params: Record<string, unknown>): string {
  const id = lemonText(params, 'instance_id', true);
  if (!INSTANCE_ID.test(id)) throw new LemonError(404, LEMON_MESSAGES.instanceNotFound);
  return id.toLowerCase();
}

const anonymous = (caller: Caller): Actor => ({ type: 'anonymous', id: null, ip: caller.ip });

/** POST /v1/licenses/activate (contract §2.1). */
export async function lemonActivate(ctx: AppContext, params: Record<string, unknown>, caller: Caller) {
  const license = await requireLicense(ctx, params, caller);
  const name = lemonText(params, 'instance_name', true);
  const fingerprint = lemonText(params, 'fingerprint', false);
  try {
    const { instance, seats } = await activate(ctx, license, { name, fingerprint, ipCountry: caller.ipCountry, actor: anonymous(caller) });
    return { activated: true, error: null, ...(await licenseParts(ctx, license, seats)), instance: presentInstance(instance) };
  } catch (err) {
    if (!(err instanceof ActivationRefused)) throw err;
    const message = err.reason === 'limit' ? LEMON_MESSAGES.limitReached : err.reason === 'disabled' ? LEMON_MESSAGES.disabled : LEMON_MESSAGES.expired;
    throw new LemonError(400, message, await licenseParts(ctx, license, { usage: err.usage, limit: err.limit }));
  }
}

/**
 * POST /v1/licenses/validate (contract §2.2): `valid` is true for an active or inactive key (and
 * instance, when named); a disabled or expired one answers 200 with `valid: false` and the reason.
 */
export async function lemonValidate(ctx: AppContext, params: Record<string, unknown>, caller: Caller) {
  const license = await requireLicense(ctx, params, caller);
  const named = lemonText(params, 'instance_id', false) !== null;
  const instanceId = named ? instanceIdOf(params) : null;
  const instance = instanceId === null ? null : await seeInstance(ctx, license, instanceId);
  if (instanceId !== null && !instance) throw new LemonError(404, LEMON_MESSAGES.instanceNotFound);
  const seats = await seatsOf(ctx.db, license);
  const state = licenseState(license, seats.usage);
  const refused = state === 'disabled' ? LEMON_MESSAGES.disabled : state === 'expired' ? LEMON_MESSAGES.expired : null;
  return {
    valid: refused === null,
    error: refused,
    ...(await licenseParts(ctx, license, seats)),
    instance: instance ? presentInstance(instance) : null,
  };
}

/** POST /v1/licenses/deactivate (contract §2.3): frees the seat, whatever the key's state. */
export async function lemonDeactivate(ctx: AppContext, params: Record<string, unknown>, caller: Caller) {
  const license = await requireLicense(ctx, params, caller);
  const done = await deactivate(ctx, license, instanceIdOf(params), anonymous(caller));
  if (!done) throw new LemonError(404, LEMON_MESSAGES.instanceNotFound);
  return { deactivated: true, error: null, ...(await licenseParts(ctx, license, done.seats)) };
}
