import { positiveIntFromEnv } from '../util/env.js';

/** Account security settings from the environment (docs/configuration.md, "Accounts"). */
export interface AccountSettings {
  /** TESSERA_SESSION_LIFETIME: seconds a dashboard session lasts from sign-in, whatever its use. */
  sessionLifetimeSeconds: number;
  /** TESSERA_SESSION_IDLE_TIMEOUT: seconds without a request after which a session ends; 0 = never. */
  sessionIdleSeconds: number;
  /** TESSERA_REQUIRE_2FA: `1` makes every account set up a second factor before using the dashboard. */
  requireSecondFactor: boolean;
  /** TESSERA_SECOND_FACTOR_FRESH: seconds a proved second factor covers sensitive actions (key reveal, …). */
  secondFactorFreshSeconds: number;
  /** TESSERA_PASSWORD_RESET_TTL: seconds an emailed password-reset link works. */
  passwordResetSeconds: number;
  /** TESSERA_EMAIL_VERIFICATION_TTL: seconds an email-verification link works. */
  emailVerificationSeconds: number;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'off') return false;
  if (raw === '1' || raw === 'true' || raw === 'on') return true;
  throw new Error(`${name} must be 1 or 0, got "${env[name]}"`);
}

function secondsOrZero(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return env[name] === '0' ? 0 : positiveIntFromEnv(env, name, fallback);
}

export function loadAccountSettings(env: NodeJS.ProcessEnv): AccountSettings {
  return {
    sessionLifetimeSeconds: positiveIntFromEnv(env, 'TESSERA_SESSION_LIFETIME', 14 * 24 * 3600),
    sessionIdleSeconds: secondsOrZero(env, 'TESSERA_SESSION_IDLE_TIMEOUT', 3 * 24 * 3600),
    requireSecondFactor: flag(env, 'TESSERA_REQUIRE_2FA'),
    secondFactorFreshSeconds: positiveIntFromEnv(env, 'TESSERA_SECOND_FACTOR_FRESH', 10 * 60),
    passwordResetSeconds: positiveIntFromEnv(env, 'TESSERA_PASSWORD_RESET_TTL', 3600),
    emailVerificationSeconds: positiveIntFromEnv(env, 'TESSERA_EMAIL_VERIFICATION_TTL', 48 * 3600),
  };
}
