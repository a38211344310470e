import type { Selectable } from 'kysely';

/** owner: "Generate access token"; oauth: issued by the OAuth server to a third party. */
export type AccessTokenKind = 'owner' | 'oauth';

export interface AccessTokenTable {
  id: string;
  token_hash: string;
  application_id: string;
  user_id: string;
  kind: AccessTokenKind;
  scopes: string;
  /** The OAuth grant this token came from (authorization code, device code, refresh chain). */
  grant_id: string | null;
  /** The first characters, for lists: never enough to use. */
  hint: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_reason: string | null;
  last_used_at: number | null;
}

export interface TokenTables {
  access_tokens: AccessTokenTable;
}

export type AccessTokenRow = Selectable<AccessTokenTable>;
