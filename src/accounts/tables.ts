import type { ColumnType, Generated, Selectable } from 'kysely';

/** A nullable column added later (migration 0019): inserts may leave it out. */
type Later<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface UserTable {
  id: string;
  external_id: string;
  email: string;
  password_hash: string;
  name: string | null;
  bio: string | null;
  twitter_handle: string | null;
  currency_type: string;
  created_at: number;
  /** 1 for an instance owner (the admin pages; src/admin). The first account is one. */
  is_owner: Generated<number>;
  /** Set by an owner: the account's sessions, tokens and API keys are refused (src/admin). */
  disabled_at: Generated<number | null>;
  /** Set with disabled_at when the owner also stopped the account's licenses. */
  licenses_stopped_at: Generated<number | null>;
  email_verified_at: Later<number>;
  password_changed_at: Later<number>;
  /** Since when the account has a second factor (TOTP or a passkey); null without one. */
  second_factor_since: Later<number>;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: Later<string>;
  /** Written at most once a minute per session, off the request (src/accounts/session-seen.ts). */
  last_seen_at: Later<number>;
  last_ip: Later<string>;
  /** When this session last proved a second factor (at sign-in or a step-up). */
  second_factor_at: Later<number>;
}

export interface TotpCredentialTable {
  user_id: string;
  secret_ciphertext: string;
  confirmed_at: number | null;
  last_step: number | null;
  created_at: number;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export interface PasskeyTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string | null;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface AuthChallengeTable {
  id: string;
  user_id: string | null;
  purpose: string;
  payload: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface AccountTokenTable {
  id: string;
  user_id: string;
  purpose: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface KnownDeviceTable {
  user_id: string;
  device_hash: string;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
}

export interface MailLogTable {
  id: string;
  user_id: string | null;
  kind: string;
  to_address: string;
  subject: string;
  body_sealed: string;
  body_masked: string;
  /** logged (no SMTP), sending, sent, failed */
  status: string;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** A setting an owner changed on the admin pages (src/accounts/instance-settings-store.ts); no row = its default. */
export interface InstanceSettingTable {
  name: string;
  value: string;
  updated_at: number;
  /** The owner who last changed it (no foreign key: the setting outlives the account). */
  updated_by: string | null;
}

export interface AccountTables {
  users: UserTable;
  sessions: SessionTable;
  totp_credentials: TotpCredentialTable;
  recovery_codes: RecoveryCodeTable;
  passkeys: PasskeyTable;
  auth_challenges: AuthChallengeTable;
  account_tokens: AccountTokenTable;
  known_devices: KnownDeviceTable;
  mail_log: MailLogTable;
  instance_settings: InstanceSettingTable;
}

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type PasskeyRow = Selectable<PasskeyTable>;
export type MailLogRow = Selectable<MailLogTable>;
