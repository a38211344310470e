import type { Selectable } from 'kysely';

export type GrantType = 'authorization_code' | 'device_code' | 'client_credentials';

/**
 * One authorization a user gave an application (consent page, device page, or the owner's own
 * client_credentials). Codes, access tokens (access_tokens.grant_id) and refresh tokens point to
 * it, so revoking the grant revokes everything it issued.
 */
export interface OAuthGrantTable {
  id: string;
  application_id: string;
  user_id: string;
  type: GrantType;
  scopes: string;
  /** 1 when tokens were first obtained with the client secret: refreshing then needs it too. */
  confidential: number;
  created_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export interface AuthorizationCodeTable {
  id: string;
  code_hash: string;
  grant_id: string;
  application_id: string;
  user_id: string;
  redirect_uri: string;
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  created_at: number;
  expires_at: number;
  /** Set by the one exchange that may use it; a second presentation is a replay. */
  used_at: number | null;
}

export interface RefreshTokenTable {
  id: string;
  token_hash: string;
  grant_id: string;
  application_id: string;
  user_id: string;
  scopes: string;
  created_at: number;
  /** Set when this token was exchanged for its successor. */
  rotated_at: number | null;
  successor_id: string | null;
  /**
   * The pair handed out at rotation, encrypted (ctx.keys.encrypt): concurrent refreshes with this
   * token get the same pair back during the reuse interval. Wiped when the successor rotates or
   * the grant dies.
   */
  successor_pair: string | null;
  revoked_at: number | null;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface DeviceCodeTable {
  id: string;
  device_code_hash: string;
  /** HMAC of the normalised user code (`WDJBMJHT`): typed by a human, looked up by hash. */
  user_code_hash: string;
  application_id: string;
  scopes: string;
  status: DeviceCodeStatus;
  /** Filled in when a user approves or denies. */
  user_id: string | null;
  grant_id: string | null;
  /** Seconds between polls (RFC 8628 §3.5: grows by 5 on each slow_down). */
  poll_interval: number;
  last_polled_at: number | null;
  created_at: number;
  expires_at: number;
}

export interface OAuthTables {
  oauth_grants: OAuthGrantTable;
  oauth_authorization_codes: AuthorizationCodeTable;
  oauth_refresh_tokens: RefreshTokenTable;
  oauth_device_codes: DeviceCodeTable;
}

export type OAuthGrantRow = Selectable<OAuthGrantTable>;
export type AuthorizationCodeRow = Selectable<AuthorizationCodeTable>;
export type RefreshTokenRow = Selectable<RefreshTokenTable>;
export type DeviceCodeRow = Selectable<DeviceCodeTable>;
