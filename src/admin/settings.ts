/**
 * The operator's settings for sign-up and for what each account may do (docs/accounts.md lists
 * every variable). Capability defaults apply to every account without an override; an owner
 * overrides them per account on the admin page or with `tessera admin set`.
 */

/** TESSERA_SIGNUP. Unset: `open` until the first account (the owner) exists, then `invite`. */
export type SignUpPolicy = 'invite' | 'open' | 'closed';

/** What an account may do. A null limit is "unlimited". */
export interface Capabilities {
  /** TESSERA_CAP_API_KEYS: may create API keys. */
  api_keys: boolean;
  /** TESSERA_CAP_FLOWS: may run flows. */
  flows: boolean;
  /** TESSERA_CAP_EMAIL_STEP: may use the send_email step. */
  email_step: boolean;
  /** TESSERA_CAP_HTTP_STEP: may use the http_request step. */
  http_step: boolean;
  /** TESSERA_CAP_MAX_FLOWS: live flows the account may have created (its own and its teams'). */
  max_flows: number | null;
  /** TESSERA_CAP_MAX_RUNS_PER_DAY: runs acting for the account per UTC day. */
  max_runs_per_day: number | null;
  /** TESSERA_CAP_MAX_API_KEYS: live API keys the account may have created. */
  max_api_keys: number | null;
}

export type SwitchName = 'api_keys' | 'flows' | 'email_step' | 'http_step';
export type LimitName = 'max_flows' | 'max_runs_per_day' | 'max_api_keys';
export type CapabilityName = SwitchName | LimitName;

export const SWITCHES: readonly SwitchName[] = ['api_keys', 'flows', 'email_step', 'http_step'];
export const LIMITS: readonly LimitName[] = ['max_flows', 'max_runs_per_day', 'max_api_keys'];
export const CAPABILITY_NAMES: readonly CapabilityName[] = [...SWITCHES, ...LIMITS];

/** Each capability in words, for pages and refusals. */
export const CAPABILITY_LABELS: Record<CapabilityName, string> = {
  api_keys: 'create API keys',
  flows: 'run flows',
  email_step: 'use the email step (send_email) in flows',
  http_step: 'use the HTTP step (http_request) in flows',
  max_flows: 'flows (most it may have)',
  max_runs_per_day: 'flow runs per day (UTC)',
  max_api_keys: 'API keys (most it may have)',
};

export interface AdminSettings {
  /** TESSERA_SIGNUP; undefined = the default (open for the first account, then invite). */
  signup: SignUpPolicy | undefined;
  /** TESSERA_INVITATION_TTL: seconds an invitation link stays valid. */
  invitationTtlSeconds: number;
  /** TESSERA_CAP_*: what an account without overrides may do. */
  capabilities: Capabilities;
}

const YES = new Set(['1', 'true', 'yes', 'on']);
const NO = new Set(['0', 'false', 'no', 'off']);

/** A switch's value as typed (env, CLI): yes/no, true/false, on/off, 1/0. Undefined when it is none of those. */
export function parseSwitch(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return undefined;
}

/** A limit's value as typed: a whole number ≥ 0, or `unlimited`. Undefined when it is neither. */
export function parseLimit(raw: string): number | null | undefined {
  const value = raw.trim().toLowerCase();
  if (value === 'unlimited' || value === 'none') return null;
  if (!/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

function switchFrom(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return true;
  const value = parseSwitch(raw);
  if (value === undefined) throw new Error(`${name} must be yes or no (also true/false, on/off, 1/0), got "${raw}"`);
  return value;
}

function limitFrom(env: NodeJS.ProcessEnv, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const value = parseLimit(raw);
  if (value === undefined) throw new Error(`${name} must be a whole number or "unlimited", got "${raw}"`);
  return value;
}

export function loadAdminSettings(env: NodeJS.ProcessEnv): AdminSettings {
  const signup = env.TESSERA_SIGNUP || undefined;
  if (signup !== undefined && signup !== 'invite' && signup !== 'open' && signup !== 'closed') {
    throw new Error(`TESSERA_SIGNUP must be invite, open or closed, got "${signup}"`);
  }
  const ttl = env.TESSERA_INVITATION_TTL;
  const invitationTtlSeconds = ttl === undefined || ttl === '' ? 7 * 24 * 3600 : Number(ttl);
  if (!Number.isInteger(invitationTtlSeconds) || invitationTtlSeconds < 60) {
    throw new Error(`TESSERA_INVITATION_TTL must be a whole number of seconds, at least 60, got "${ttl}"`);
  }
  return {
    signup,
    invitationTtlSeconds,
    capabilities: {
      api_keys: switchFrom(env, 'TESSERA_CAP_API_KEYS'),
      flows: switchFrom(env, 'TESSERA_CAP_FLOWS'),
      email_step: switchFrom(env, 'TESSERA_CAP_EMAIL_STEP'),
      http_step: switchFrom(env, 'TESSERA_CAP_HTTP_STEP'),
      max_flows: limitFrom(env, 'TESSERA_CAP_MAX_FLOWS'),
      max_runs_per_day: limitFrom(env, 'TESSERA_CAP_MAX_RUNS_PER_DAY'),
      max_api_keys: limitFrom(env, 'TESSERA_CAP_MAX_API_KEYS'),
    },
  };
}
