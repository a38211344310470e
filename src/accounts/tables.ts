import type { Selectable } from 'kysely';

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
