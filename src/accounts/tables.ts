import type { Generated, Selectable } from 'kysely';

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
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  ip: string | null;
}

export interface AccountTables {
  users: UserTable;
  sessions: SessionTable;
}

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
