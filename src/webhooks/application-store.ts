import type { Executor } from '../db/database.js';

/** A seller's own live applications, oldest first. */
export async function ownApplications(db: Executor, userId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('applications').select(['id', 'name']).where('owner_id', '=', userId).where('deleted_at', 'is', null).orderBy('created_at').execute();
}

/** The user's live (unrevoked, unexpired at `now`) tokens of these applications, with their scopes. */
export async function liveTokensOf(db: Executor, userId: string, applicationIds: string[], now: number): Promise<{ application_id: string; scopes: string }[]> {
  return db
    .selectFrom('access_tokens')
    .select(['application_id', 'scopes'])
    .where('user_id', '=', userId)
    .where('application_id', 'in', applicationIds)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
}

/** The scopes of the user's live tokens of one application, if the application itself is not deleted (the sender's check at send time). */
export async function liveTokenScopes(db: Executor, applicationId: string, userId: string, now: number): Promise<{ scopes: string }[]> {
  return db
    .selectFrom('access_tokens')
    .innerJoin('applications', 'applications.id', 'access_tokens.application_id')
    .select('access_tokens.scopes')
    .where('access_tokens.application_id', '=', applicationId)
    .where('access_tokens.user_id', '=', userId)
    .where('access_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('access_tokens.expires_at', 'is', null), eb('access_tokens.expires_at', '>', now)]))
    .where('applications.deleted_at', 'is', null)
    .execute();
}
