import type { Executor } from '../db/database.js';

/**
 * The statements that delete an account and everything it owns (deleteAccount in src/admin/service.ts runs
 * them in one transaction, in this file's order: children before the rows they reference).
 */

const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);

/** Teams the account belongs to, each with how many members it has. */
export function teamsOf(db: Executor, userId: string) {
  return db
    .selectFrom('team_members as mine')
    .innerJoin('teams', 'teams.id', 'mine.team_id')
    .select((eb) => [
      'teams.id',
      'teams.name',
      'teams.created_by',
      'mine.role',
      eb.selectFrom('team_members as all').select((e) => e.fn.countAll<number>().as('n')).whereRef('all.team_id', '=', 'teams.id').as('members'),
    ])
    .where('mine.user_id', '=', userId)
    .execute();
}

/** What the confirmation names: counts of what goes with the account. */
export async function ownedCounts(db: Executor, userId: string, soloTeamIds: string[], now: number) {
  const owners = [{ type: 'user' as const, id: userId }, ...soloTeamIds.map((id) => ({ type: 'team' as const, id }))];
  const [applications, apiKeys, products, sales, licenses, flows, webhooks] = await Promise.all([
    count(db.selectFrom('applications').select((e) => e.fn.countAll<number>().as('n')).where('owner_id', '=', userId).where('deleted_at', 'is', null)),
    count(
      db
        .selectFrom('api_keys')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('user_id', '=', userId), ...(soloTeamIds.length ? [eb('team_id', 'in', soloTeamIds)] : [])]))
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])),
    ),
    count(db.selectFrom('products').select((e) => e.fn.countAll<number>().as('n')).where('seller_id', '=', userId).where('deleted_at', 'is', null)),
    count(db.selectFrom('purchases').select((e) => e.fn.countAll<number>().as('n')).where('seller_id', '=', userId)),
    count(db.selectFrom('licenses').select((e) => e.fn.countAll<number>().as('n')).where('seller_id', '=', userId)),
    count(
      db
        .selectFrom('flows')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where((eb) => eb.or(owners.map((o) => eb.and([eb('owner_type', '=', o.type), eb('owner_id', '=', o.id)]))))
        .where('deleted_at', 'is', null),
    ),
    count(db.selectFrom('resource_subscriptions').select((e) => e.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('deleted_at', 'is', null)),
  ]);
  return { applications, api_keys: apiKeys, products, sales, licenses, flows, teams: soloTeamIds.length, webhooks };
}

/** Flows, runs, triggers, files, workbooks, limits and API keys of one owner (the account or a team it alone is in). */
export async function deleteFlowOwner(db: Executor, owner: { type: 'user' | 'team'; id: string }): Promise<void> {
  await db.deleteFrom('flow_files').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).execute();
  const flowIds = db.selectFrom('flows').select('id').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id);
  await db.deleteFrom('flow_triggers').where('flow_id', 'in', flowIds).execute();
  await db.deleteFrom('flow_runs').where('flow_id', 'in', flowIds).execute();
  await db.deleteFrom('flows').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).execute();
  await db.deleteFrom('workbooks').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).execute();
  await db.deleteFrom('flow_limits').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).execute();
  if (owner.type === 'team') await db.deleteFrom('api_keys').where('team_id', '=', owner.id).execute();
}

export async function deleteTeam(db: Executor, teamId: string): Promise<void> {
  await deleteFlowOwner(db, { type: 'team', id: teamId });
  await db.deleteFrom('team_invitations').where('team_id', '=', teamId).execute();
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  await db.deleteFrom('teams').where('id', '=', teamId).execute();
}

/**
 * Leaves a team that keeps other members: the team keeps its flows and keys; when the account
 * created it, or was its last owner, the longest-standing remaining member (an owner first)
 * takes over.
 */
export async function leaveTeam(db: Executor, teamId: string, userId: string): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', userId).execute();
  const heir = await db
    .selectFrom('team_members')
    .select(['user_id', 'role'])
    .where('team_id', '=', teamId)
    .orderBy((eb) => eb.case().when('role', '=', 'owner').then(0).else(1).end())
    .orderBy('added_at')
    .executeTakeFirstOrThrow();
  if (heir.role !== 'owner') await db.updateTable('team_members').set({ role: 'owner' }).where('team_id', '=', teamId).where('user_id', '=', heir.user_id).execute();
  await db.updateTable('teams').set({ created_by: heir.user_id }).where('id', '=', teamId).where('created_by', '=', userId).execute();
}

/** Everything else the account owns, then the account. */
export async function deleteOwnedRows(db: Executor, userId: string): Promise<void> {
  // Runs, triggers and emails acting for the account in teams that stay.
  await db.deleteFrom('flow_triggers').where('user_id', '=', userId).execute();
  await db.deleteFrom('flow_runs').where('user_id', '=', userId).execute();
  await db.deleteFrom('email_outbox').where('user_id', '=', userId).execute();
  await db.deleteFrom('api_keys').where('user_id', '=', userId).execute();

  // Its applications, with every token, grant and subscription any account holds on them.
  const appIds = db.selectFrom('applications').select('id').where('owner_id', '=', userId);
  await db.deleteFrom('access_tokens').where('application_id', 'in', appIds).execute();
  await db.deleteFrom('oauth_grants').where('application_id', 'in', appIds).execute();
  await db.deleteFrom('oauth_device_codes').where('application_id', 'in', appIds).execute();
  await db.deleteFrom('resource_subscriptions').where('application_id', 'in', appIds).execute();
  // Its own authorizations of other applications.
  await db.deleteFrom('access_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('oauth_grants').where('user_id', '=', userId).execute();
  await db.deleteFrom('oauth_device_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('resource_subscriptions').where('user_id', '=', userId).execute();
  await db.deleteFrom('applications').where('owner_id', '=', userId).execute();

  // Its catalog and sales: licenses (their seats and counters go with them), purchases, the rest.
  await db.deleteFrom('webhook_deliveries').where('seller_id', '=', userId).execute();
  await db.deleteFrom('licenses').where('seller_id', '=', userId).execute();
  await db.deleteFrom('purchases').where('seller_id', '=', userId).execute();
  await db.deleteFrom('subscriptions').where('seller_id', '=', userId).execute();
  await db.deleteFrom('offer_codes').where('seller_id', '=', userId).execute();
  await db.deleteFrom('custom_fields').where('seller_id', '=', userId).execute();
  await db.deleteFrom('product_covers').where('product_id', 'in', db.selectFrom('products').select('id').where('seller_id', '=', userId)).execute();
  await db.deleteFrom('products').where('seller_id', '=', userId).execute();

  const sessionIds = db.selectFrom('sessions').select('id').where('user_id', '=', userId);
  await db.deleteFrom('dashboard_flash').where('session_id', 'in', sessionIds).execute();
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('team_invitations').where('invited_by', '=', userId).execute();
  await db.deleteFrom('account_invitations').where('invited_by', '=', userId).execute();
  await db.deleteFrom('account_capabilities').where('user_id', '=', userId).execute();
  await db.deleteFrom('account_settings').where('user_id', '=', userId).execute();
  // Tables other domains add later reference users with ON DELETE CASCADE.
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
