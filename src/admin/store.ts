import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AccountCapabilityTable, AccountInvitationTable } from './tables.js';

// --- accounts

export function findAccount(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'external_id', 'email', 'created_at', 'is_owner', 'disabled_at', 'licenses_stopped_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findAccountByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'external_id', 'email', 'created_at', 'is_owner', 'disabled_at', 'licenses_stopped_at'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** Accounts for the admin list, newest first, with their counts; `search` matches part of the email. */
export function listAccounts(db: Executor, options: { search: string; limit: number; offset: number; now: number }) {
  let query = db
    .selectFrom('users')
    .select((eb) => [
      'users.id',
      'users.external_id',
      'users.email',
      'users.created_at',
      'users.is_owner',
      'users.disabled_at',
      'users.licenses_stopped_at',
      eb
        .selectFrom('audit_events')
        .select((e) => e.fn.max('audit_events.occurred_at').as('at'))
        .whereRef('audit_events.user_id', '=', 'users.id')
        .where('audit_events.action', '=', 'session.created')
        .as('last_login_at'),
      eb
        .selectFrom('applications')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('applications.owner_id', '=', 'users.id')
        .where('applications.deleted_at', 'is', null)
        .as('applications'),
      eb
        .selectFrom('api_keys')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('api_keys.created_by', '=', 'users.id')
        .where('api_keys.revoked_at', 'is', null)
        .where((w) => w.or([w('api_keys.expires_at', 'is', null), w('api_keys.expires_at', '>', options.now)]))
        .as('api_keys'),
      eb
        .selectFrom('flows')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('flows.created_by', '=', 'users.id')
        .where('flows.deleted_at', 'is', null)
        .as('flows'),
    ]);
  if (options.search !== '') query = query.where(emailContains(options.search));
  return query.orderBy('users.created_at', 'desc').orderBy('users.id').limit(options.limit).offset(options.offset).execute();
}

export async function countAccounts(db: Executor, search: string): Promise<number> {
  let query = db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
  if (search !== '') query = query.where(emailContains(search));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Emails (stored lower-case) containing the text literally: `%` and `_` are no wildcards. */
function emailContains(text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`users.email like ${pattern} escape '\\'`;
}

/** The oldest instance owner's id (the CLI invites in their name), if any. */
export async function oldestOwnerId(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('is_owner', '=', 1).orderBy('created_at').orderBy('id').executeTakeFirst();
  return row?.id;
}

export function setDisabled(db: Executor, userId: string, changes: { disabled_at: number | null; licenses_stopped_at: number | null }) {
  return db.updateTable('users').set(changes).where('id', '=', userId).executeTakeFirst();
}

// --- invitations

export function insertInvitation(db: Executor, row: Insertable<AccountInvitationTable>) {
  return db.insertInto('account_invitations').values(row).execute();
}

export function findInvitationByHash(db: Executor, tokenHash: string) {
  return db.selectFrom('account_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Uses a live invitation once: only one of concurrent sign-ups through the same link wins. */
export async function useInvitation(db: Executor, id: string, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('account_invitations')
    .set({ used_at: now, used_by: userId })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function cancelInvitation(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('account_invitations')
    .set({ cancelled_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The latest invitations, pending ones first. */
export function listInvitations(db: Executor, limit: number) {
  return db
    .selectFrom('account_invitations')
    .innerJoin('users', 'users.id', 'account_invitations.invited_by')
    .selectAll('account_invitations')
    .select('users.email as invited_by_email')
    .orderBy('account_invitations.created_at', 'desc')
    .limit(limit)
    .execute();
}

// --- capabilities

/** The account's ownership and capability overrides, in one read. */
export function findCapabilities(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('account_capabilities', 'account_capabilities.user_id', 'users.id')
    .select([
      'users.is_owner',
      'account_capabilities.api_keys',
      'account_capabilities.flows',
      'account_capabilities.email_step',
      'account_capabilities.http_step',
      'account_capabilities.max_flows',
      'account_capabilities.max_runs_per_day',
      'account_capabilities.max_api_keys',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export async function upsertCapabilities(db: Executor, userId: string, changes: Partial<Omit<AccountCapabilityTable, 'user_id' | 'updated_at'>>, now: number) {
  const empty = { api_keys: null, flows: null, email_step: null, http_step: null, max_flows: null, max_runs_per_day: null, max_api_keys: null };
  await db
    .insertInto('account_capabilities')
    .values({ ...empty, ...changes, user_id: userId, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...changes, updated_at: now }))
    .execute();
}

/** Live flows the account created (its own and its teams'). */
export async function countLiveFlowsCreatedBy(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('flows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_by', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Live (not revoked, not expired) API keys the account created, personal and team keys alike. */
export async function countLiveKeysCreatedBy(db: Executor, userId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_by', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Runs acting for the account since `since`. */
export async function countRunsSince(db: Executor, userId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('flow_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Enabled accounts that have no second factor yet (the admin page's count while one is required). */
export async function countAccountsWithoutSecondFactor(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('second_factor_since', 'is', null)
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
