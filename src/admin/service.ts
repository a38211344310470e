import { isoTime } from '../util/dates.js';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { capabilitiesOf, type AccountCapabilities } from './capabilities.js';
import * as deletion from './delete-store.js';
import { CAPABILITY_NAMES, SWITCHES, parseLimit, parseSwitch, type CapabilityName, type LimitName, type SwitchName } from './settings.js';
import * as admin from './store.js';

/** An account as the owner's list shows it. */
export interface AdminAccount {
  id: string;
  user_id: string;
  email: string;
  owner: boolean;
  disabled: boolean;
  licenses_stopped: boolean;
  created_at: string;
  last_login_at: string | null;
  counts: { applications: number; api_keys: number; flows: number };
}

export interface AccountPage {
  accounts: AdminAccount[];
  search: string;
  page: number;
  pages: number;
  total: number;
}

const PAGE_SIZE = 50;

type AccountRow = NonNullable<Awaited<ReturnType<typeof admin.findAccount>>>;

/** Accounts, newest first, 50 a page; `search` is part of an email. */
export async function listAccounts(ctx: AppContext, options: { search?: string; page?: number } = {}): Promise<AccountPage> {
  const search = (options.search ?? '').trim().slice(0, 254);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const [rows, total] = await Promise.all([
    admin.listAccounts(ctx.db, { search, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: Date.now() }),
    admin.countAccounts(ctx.db, search),
  ]);
  return {
    accounts: rows.map((r) => ({
      id: r.id,
      user_id: r.external_id,
      email: r.email,
      owner: r.is_owner === 1,
      disabled: r.disabled_at !== null,
      licenses_stopped: r.licenses_stopped_at !== null,
      created_at: isoTime(r.created_at),
      last_login_at: isoTime(r.last_login_at),
      counts: { applications: Number(r.applications ?? 0), api_keys: Number(r.api_keys ?? 0), flows: Number(r.flows ?? 0) },
    })),
    search,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
  };
}

export async function requireAccount(ctx: AppContext, id: string): Promise<AccountRow> {
  const account = await admin.findAccount(ctx.db, id);
  if (!account) throw new TesseraError('ACCOUNT_NOT_FOUND');
  return account;
}

/** One account for its admin page: what it is, what it may do, and what deleting it removes. */
export async function showAccount(ctx: AppContext, id: string) {
  const account = await requireAccount(ctx, id);
  const [capabilities, owned] = await Promise.all([capabilitiesOf(ctx, ctx.db, id), ownedBy(ctx, id)]);
  return {
    id: account.id,
    user_id: account.external_id,
    email: account.email,
    owner: account.is_owner === 1,
    disabled: account.disabled_at !== null,
    disabled_at: isoTime(account.disabled_at),
    licenses_stopped: account.licenses_stopped_at !== null,
    created_at: isoTime(account.created_at),
    capabilities: presentCapabilities(capabilities),
    owned,
  };
}

export function presentCapabilities(c: AccountCapabilities) {
  return { effective: c.effective, overrides: c.overrides, defaults: c.defaults, owner: c.owner };
}

/** What deleting the account removes (the confirmation names it), and the teams it leaves. */
export async function ownedBy(ctx: AppContext, userId: string) {
  const teams = await deletion.teamsOf(ctx.db, userId);
  const solo = teams.filter((t) => Number(t.members) === 1);
  const counts = await deletion.ownedCounts(ctx.db, userId, solo.map((t) => t.id), Date.now());
  return { ...counts, teams_left: teams.length - solo.length };
}

/**
 * Disables an account: from its next request on, in every process, its sessions, access tokens
 * and API keys are refused (the credential lookups read `users.disabled_at` in the same
 * statement). Nothing is deleted, so enabling restores them. Its licenses keep verifying for
 * its buyers unless `stopLicenses`.
 */
export async function disableAccount(ctx: AppContext, id: string, options: { stopLicenses: boolean }, actor: Actor) {
  await ctx.db.transaction().execute(async (trx) => {
    const account = await admin.findAccount(trx, id);
    if (!account) throw new TesseraError('ACCOUNT_NOT_FOUND');
    if (account.is_owner === 1) throw new TesseraError('OWNER_PROTECTED');
    const now = Date.now();
    await admin.setDisabled(trx, id, { disabled_at: account.disabled_at ?? now, licenses_stopped_at: options.stopLicenses ? (account.licenses_stopped_at ?? now) : null });
    await recordAudit(trx, { actor, userId: id, action: 'admin.account_disabled', target: { type: 'user', id }, metadata: { email: account.email, licenses_stopped: options.stopLicenses } });
  });
  return showAccount(ctx, id);
}

export async function enableAccount(ctx: AppContext, id: string, actor: Actor) {
  await ctx.db.transaction().execute(async (trx) => {
    const account = await admin.findAccount(trx, id);
    if (!account) throw new TesseraError('ACCOUNT_NOT_FOUND');
    await admin.setDisabled(trx, id, { disabled_at: null, licenses_stopped_at: null });
    if (account.disabled_at !== null) {
      await recordAudit(trx, { actor, userId: id, action: 'admin.account_enabled', target: { type: 'user', id }, metadata: { email: account.email } });
    }
  });
  return showAccount(ctx, id);
}

/**
 * Deletes an account and everything it owns, in one transaction: its applications (and every
 * token on them), keys, products, sales, licenses, flows, webhooks, and the teams it alone is
 * in; other teams keep their flows and pass to another member. Audited under the acting owner.
 */
export async function deleteAccount(ctx: AppContext, id: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    const account = await admin.findAccount(trx, id);
    if (!account) throw new TesseraError('ACCOUNT_NOT_FOUND');
    if (account.is_owner === 1) throw new TesseraError('OWNER_PROTECTED');
    const teams = await deletion.teamsOf(trx, id);
    const solo = teams.filter((t) => Number(t.members) === 1).map((t) => t.id);
    const removed = await deletion.ownedCounts(trx, id, solo, Date.now());
    for (const teamId of solo) await deletion.deleteTeam(trx, teamId);
    for (const team of teams) if (!solo.includes(team.id)) await deletion.leaveTeam(trx, team.id, id);
    await deletion.deleteFlowOwner(trx, { type: 'user', id });
    await deletion.deleteOwnedRows(trx, id);
    await recordAudit(trx, {
      actor,
      userId: actor.type === 'user' ? actor.id : null,
      action: 'admin.account_deleted',
      target: { type: 'user', id },
      metadata: { email: account.email, user_id: account.external_id, removed },
    });
    return { id, email: account.email, removed };
  });
}

/**
 * Sets capabilities of one account from `name=value` pairs (the admin page, `tessera admin set`):
 * switches take yes/no, limits a whole number or `unlimited`, and `default` returns to the
 * TESSERA_CAP_* default. Every pair is checked before anything is stored.
 */
export async function setCapabilities(ctx: AppContext, id: string, pairs: Record<string, string>, actor: Actor) {
  const account = await requireAccount(ctx, id);
  const changes: Partial<Record<CapabilityName, number | null>> = {};
  for (const [name, raw] of Object.entries(pairs)) {
    if (!(CAPABILITY_NAMES as readonly string[]).includes(name)) {
      throw new TesseraError('VALIDATION_FAILED', `Unknown capability "${name}": use ${CAPABILITY_NAMES.join(', ')}.`);
    }
    if (raw.trim().toLowerCase() === 'default') {
      changes[name as CapabilityName] = null;
    } else if ((SWITCHES as readonly string[]).includes(name)) {
      const value = parseSwitch(raw);
      if (value === undefined) throw new TesseraError('VALIDATION_FAILED', `${name} takes yes, no or default, not "${raw}".`);
      changes[name as SwitchName] = value ? 1 : 0;
    } else {
      const value = parseLimit(raw);
      if (value === undefined) throw new TesseraError('VALIDATION_FAILED', `${name} takes a whole number, unlimited or default, not "${raw}".`);
      changes[name as LimitName] = value === null ? -1 : value;
    }
  }
  if (Object.keys(changes).length === 0) throw new TesseraError('VALIDATION_FAILED', `Name at least one capability: ${CAPABILITY_NAMES.join(', ')}.`);
  await ctx.db.transaction().execute(async (trx) => {
    await admin.upsertCapabilities(trx, id, changes, Date.now());
    await recordAudit(trx, { actor, userId: id, action: 'admin.capabilities_changed', target: { type: 'user', id }, metadata: { email: account.email, changes: pairs } });
  });
  return presentCapabilities(await capabilitiesOf(ctx, ctx.db, id));
}

