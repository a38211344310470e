import type { Selectable } from 'kysely';

/** A sign-up link the owner sent: single use, expiring; only the token's HMAC is stored. */
export interface AccountInvitationTable {
  id: string;
  email: string;
  token_hash: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** The account that signed up through it. */
  used_by: string | null;
  cancelled_at: number | null;
}

/**
 * An account's overrides of the capability defaults (TESSERA_CAP_*). Switches: null = default,
 * 0 = no, 1 = yes. Limits: null = default, -1 = unlimited, n >= 0 = at most n.
 */
export interface AccountCapabilityTable {
  user_id: string;
  api_keys: number | null;
  flows: number | null;
  email_step: number | null;
  http_step: number | null;
  max_flows: number | null;
  max_runs_per_day: number | null;
  max_api_keys: number | null;
  updated_at: number;
}

export interface AdminTables {
  account_invitations: AccountInvitationTable;
  account_capabilities: AccountCapabilityTable;
}

export type AccountInvitationRow = Selectable<AccountInvitationTable>;
export type AccountCapabilityRow = Selectable<AccountCapabilityTable>;
