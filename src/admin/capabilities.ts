import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import {
  CAPABILITY_LABELS,
  LIMITS,
  SWITCHES,
  type CapabilityName,
  type Capabilities,
  type LimitName,
  type SwitchName,
} from './settings.js';
import * as admin from './store.js';
import type { AccountCapabilityRow } from './tables.js';

/** An account's capabilities: the defaults, its overrides, and what applies. */
export interface AccountCapabilities {
  /** What applies now (an owner may do everything). */
  effective: Capabilities;
  /** The account's own settings; a missing name follows the default. */
  overrides: Partial<Capabilities>;
  defaults: Capabilities;
  owner: boolean;
}

/** Stored overrides as values: switches 0/1, limits -1 (unlimited) or n. */
function overridesOf(row: Omit<AccountCapabilityRow, 'user_id' | 'updated_at'> | undefined): Partial<Capabilities> {
  const overrides: Partial<Record<CapabilityName, boolean | number | null>> = {};
  if (!row) return overrides as Partial<Capabilities>;
  for (const name of SWITCHES) if (row[name] !== null) overrides[name] = row[name] === 1;
  for (const name of LIMITS) if (row[name] !== null) overrides[name] = row[name] === -1 ? null : row[name];
  return overrides as Partial<Capabilities>;
}

const ALL: Capabilities = { api_keys: true, flows: true, email_step: true, http_step: true, max_flows: null, max_runs_per_day: null, max_api_keys: null };

export async function capabilitiesOf(ctx: AppContext, db: Executor, userId: string): Promise<AccountCapabilities> {
  const row = await admin.findCapabilities(db, userId);
  const defaults = ctx.config.admin.capabilities;
  const overrides = overridesOf(row);
  const owner = row?.is_owner === 1;
  // The instance owner is the operator: no capability is ever taken from an owner.
  return { effective: owner ? ALL : { ...defaults, ...overrides }, overrides, defaults, owner };
}

/** The refusal of a missing switch, in words, naming the capability. */
export function missingCapability(name: SwitchName): TesseraError {
  return new TesseraError(
    'CAPABILITY_MISSING',
    `Your account may not ${CAPABILITY_LABELS[name]}: the owner of this Tessera server has not allowed it (capability ${name}). Ask them if you need it.`,
    { capability: name },
  );
}

const LIMIT_WORDS: Record<LimitName, (n: number) => string> = {
  max_flows: (n) => `Your account has reached its limit of ${n} flow${n === 1 ? '' : 's'} (capability max_flows): delete one, or ask the owner of this Tessera server to raise the limit.`,
  max_api_keys: (n) =>
    `Your account has reached its limit of ${n} API key${n === 1 ? '' : 's'} (capability max_api_keys): revoke one, or ask the owner of this Tessera server to raise the limit.`,
  max_runs_per_day: (n) =>
    `Your account has used its ${n} flow run${n === 1 ? '' : 's'} for today (capability max_runs_per_day); the count starts again at midnight UTC, or ask the owner of this Tessera server to raise the limit.`,
};

/** Refuses (403) when the account lacks the switch. */
export async function requireCapability(ctx: AppContext, db: Executor, userId: string, name: SwitchName): Promise<void> {
  const { effective } = await capabilitiesOf(ctx, db, userId);
  if (!effective[name]) throw missingCapability(name);
}

/** Refuses (403) when `count()` already reaches the account's limit. Counts only when there is one. */
export async function requireUnderLimit(ctx: AppContext, db: Executor, userId: string, name: LimitName, count: () => Promise<number>): Promise<void> {
  await checkLimit((await capabilitiesOf(ctx, db, userId)).effective, name, count);
}

/** The same with capabilities already read. */
export async function checkLimit(effective: Capabilities, name: LimitName, count: () => Promise<number>): Promise<void> {
  const limit = effective[name];
  if (limit === null) return;
  if ((await count()) >= limit) throw new TesseraError('CAPABILITY_MISSING', LIMIT_WORDS[name](limit), { capability: name, limit });
}

/** The steps of a flow definition that need a capability, and which. */
export const STEP_CAPABILITIES: Record<string, SwitchName> = { send_email: 'email_step', http_request: 'http_step' };

/** Refuses a flow definition using a step the account may not use (saving a flow). */
export function checkStepCapabilities(effective: Capabilities, stepTypes: string[]): void {
  for (const type of stepTypes) {
    const needed = STEP_CAPABILITIES[type];
    if (needed && !effective[needed]) throw missingCapability(needed);
  }
}

/** Midnight UTC of the day `now` falls in. */
export function startOfUtcDay(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}
