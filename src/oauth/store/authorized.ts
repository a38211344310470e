import type { Executor } from '../../db/database.js';

/** A user's unrevoked grants on live applications, with the application and its owner. */
export function listLiveGrantsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('oauth_grants')
    .innerJoin('applications', 'applications.id', 'oauth_grants.application_id')
    .innerJoin('users as owners', 'owners.id', 'applications.owner_id')
    .select([
      'oauth_grants.id',
      'oauth_grants.application_id',
      'oauth_grants.scopes',
      'oauth_grants.created_at',
      'applications.name',
      'applications.client_id',
      'applications.icon_data',
      'owners.name as owner_name',
      'owners.email as owner_email',
    ])
    .where('oauth_grants.user_id', '=', userId)
    .where('oauth_grants.revoked_at', 'is', null)
    .where('applications.deleted_at', 'is', null)
    .execute();
}

/** Live access tokens of these grants (for "live" and "last used"). */
export function liveAccessTokensOfGrants(db: Executor, grantIds: string[], now: number) {
  return db
    .selectFrom('access_tokens')
    .select(['grant_id', 'last_used_at'])
    .where('grant_id', 'in', grantIds)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
}

/** Grants that still hold a usable refresh token. */
export function grantsWithLiveRefreshTokens(db: Executor, grantIds: string[]) {
  return db
    .selectFrom('oauth_refresh_tokens')
    .select('grant_id')
    .distinct()
    .where('grant_id', 'in', grantIds)
    .where('revoked_at', 'is', null)
    .where('rotated_at', 'is', null)
    .execute();
}
