import type { Selectable } from 'kysely';

export type TeamRole = 'owner' | 'admin' | 'member';

export interface TeamTable {
  /** Public id: the `project_id` of the Gumloop-compatible API. */
  id: string;
  name: string;
  /** 1: team keys are also stored encrypted and can be revealed again by owners and admins. */
  recoverable_keys: number;
  created_by: string;
  created_at: number;
}

export interface TeamMemberTable {
  team_id: string;
  user_id: string;
  role: TeamRole;
  added_at: number;
}

/** A pending invitation: it names an email, never an account, until the invitee accepts. */
export interface TeamInvitationTable {
  /** Public id, shown to the team's managers and to the invitee. */
  id: string;
  team_id: string;
  /** Normalised (trimmed, lower case) email of the invitee. */
  email: string;
  role: TeamRole;
  invited_by: string;
  created_at: number;
  expires_at: number;
}

export interface TeamTables {
  teams: TeamTable;
  team_members: TeamMemberTable;
  team_invitations: TeamInvitationTable;
}

export type TeamRow = Selectable<TeamTable>;
export type TeamMemberRow = Selectable<TeamMemberTable>;
export type TeamInvitationRow = Selectable<TeamInvitationTable>;
