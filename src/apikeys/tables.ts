import type { Selectable } from 'kysely';

export type ApiKeyKind = 'personal' | 'team';

export interface ApiKeyTable {
  id: string;
  kind: ApiKeyKind;
  /** Owner of a personal key; null for a team key. */
  user_id: string | null;
  /** Team of a team key; null for a personal key. */
  team_id: string | null;
  created_by: string;
  name: string;
  key_hash: string;
  /** The first characters, for lists: never enough to use. */
  hint: string;
  /** AES-256-GCM of the key when its account (or team) has "recoverable keys" on. */
  key_ciphertext: string | null;
  /** Space-separated API key scopes (flows:run, flows:read). */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  /** After a regeneration with a grace period: the old key's hash, valid until previous_valid_until. */
  previous_key_hash: string | null;
  previous_valid_until: number | null;
  last_used_at: number | null;
}

/** Per-user settings of the API keys domain (the users table belongs to accounts). */
export interface AccountSettingsTable {
  user_id: string;
  recoverable_keys: number;
  updated_at: number;
}

export interface ApiKeyTables {
  api_keys: ApiKeyTable;
  account_settings: AccountSettingsTable;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
