import type { AppContext } from '../../context.js';
import * as accounts from '../../accounts/store.js';
import { listApiKeys, type ApiKey } from '../../apikeys/service.js';
import { getKeySettings } from '../../apikeys/settings.js';
import { MANAGER_ROLES, listTeams, type Team } from '../../teams/service.js';

export interface TeamKeys {
  team: Team;
  /** null when the viewer is a plain member: only owners and admins manage team keys. */
  keys: ApiKey[] | null;
}

export interface ApiKeysOverview {
  /** The `user_id` the flows API expects for this account. */
  apiUserId: string;
  recoverable: boolean;
  personal: ApiKey[];
  teams: TeamKeys[];
}

/** The `user_id` of an account in the Gumloop-compatible API. */
export async function apiUserIdOf(ctx: AppContext, userId: string): Promise<string> {
  return (await accounts.findUserById(ctx.db, userId))!.external_id;
}

/** Everything the API keys page shows: personal keys, and team keys where the viewer manages them. */
export async function apiKeysOverview(ctx: AppContext, userId: string): Promise<ApiKeysOverview> {
  const teams = await listTeams(ctx, userId);
  return {
    apiUserId: await apiUserIdOf(ctx, userId),
    recoverable: (await getKeySettings(ctx, userId)).recoverable_keys,
    personal: await listApiKeys(ctx, userId),
    teams: await Promise.all(
      teams.map(async (team) => ({ team, keys: MANAGER_ROLES.includes(team.role) ? await listApiKeys(ctx, userId, team.id) : null })),
    ),
  };
}
