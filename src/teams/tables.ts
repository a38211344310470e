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

export interface TeamTables {
  teams: TeamTable;
  team_members: TeamMemberTable;
}

export type TeamRow = Selectable<TeamTable>;
export type TeamMemberRow = Selectable<TeamMemberTable>;
