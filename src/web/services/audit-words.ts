import type { AppContext } from '../../context.js';
import { namesOf, refKey, type Names, type Ref } from '../../audit/names-store.js';
import { listAuditEvents, type AuditEvent, type AuditFilter } from '../../audit/service.js';
import { utcDay } from '../../util/dates.js';

/**
 * The audit log in words: who did what to which named thing, when ("You regenerated the client
 * secret of application “Zapier sync” · 3 minutes ago"). Names come from the stores (one query
 * per kind of thing for a page of events); a deleted thing is named from the event's metadata.
 */

export interface AuditLine {
  id: string;
  occurredAt: string;
  /** "3 minutes ago". */
  ago: string;
  /** The whole sentence: actor, verb, object. */
  sentence: string;
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  metadata: Record<string, unknown>;
}

const TYPE_WORDS: Record<string, string> = {
  application: 'application',
  api_key: 'API key',
  team: 'team',
  flow: 'flow',
  workbook: 'workbook',
  product: 'product',
  offer_code: 'offer code',
  variant: 'option',
  variant_category: 'variant category',
  custom_field: 'checkout field',
  access_token: 'access token',
  resource_subscription: 'webhook',
  subscription: 'webhook',
  passkey: 'passkey',
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** How a thing is named in a sentence: its kind and its name in quotes, or what it is. */
function thing(names: Names, type: string, id: string, metadata: Record<string, unknown> = {}): string {
  const name = names.get(refKey(type, id));
  if (type === 'user') return name ?? 'an account';
  if (type === 'sale' || type === 'license') return name ?? `a ${type}`;
  if (type === 'session') return 'a session';
  if (type === 'flow_run') return 'a run';
  if (type === 'access_token') return name ? `access token ${name}` : 'an access token';
  if (type === 'resource_subscription' || type === 'subscription') return name ? `the webhook ${name}` : 'a webhook';
  const known = name ?? str(metadata.name) ?? str(metadata.title);
  const words = TYPE_WORDS[type] ?? type.replace(/_/g, ' ');
  return known ? `${words} “${known}”` : `${words} ${id}`;
}

/** Who acted, as the viewer reads it. */
function actorWords(event: AuditEvent, viewerId: string, names: Names): string {
  const { type, id } = event.actor;
  if (type === 'user') return id === viewerId ? 'You' : (names.get(refKey('user', id ?? '')) ?? 'Someone');
  if (type === 'token') return id && names.has(refKey('access_token', id)) ? `The access token ${names.get(refKey('access_token', id))}` : 'An access token';
  if (type === 'api_key') return id && names.has(refKey('api_key', id)) ? `API key “${names.get(refKey('api_key', id))}”` : 'An API key';
  if (type === 'system') return 'Tessera';
  if (type === 'cli') return 'The command line';
  return 'Someone not signed in';
}

/** What the event did, after the actor: one phrase per action, a readable fallback for the rest. */
function phrase(event: AuditEvent, viewerId: string, names: Names): string {
  const m = event.metadata;
  const t = event.target ? thing(names, event.target.type, event.target.id, m) : 'something';
  const app = str(m.application_id) ? thing(names, 'application', m.application_id as string) : 'an application';
  const member = str(m.member_id) ? (m.member_id === viewerId ? 'you' : thing(names, 'user', m.member_id as string)) : 'a member';
  switch (event.action) {
    case 'session.deleted':
      return 'signed out';
    case 'admin.owner_granted':
      return `made ${t} an owner of this Tessera server`;
    case 'admin.owner_revoked':
      return `took the ownership of this Tessera server from ${t}`;
    case 'application.created':
      return `created ${t}`;
    case 'application.updated':
      return `changed the settings of ${t}`;
    case 'application.secret_regenerated':
      return `regenerated the client secret of ${t}`;
    case 'application.deleted':
      return typeof m.revoked_tokens === 'number' ? `deleted ${t} and its ${m.revoked_tokens} live access token${m.revoked_tokens === 1 ? '' : 's'}` : `deleted ${t}`;
    case 'token.generated':
      return `generated the access token of ${app}`;
    case 'token.revoked':
      return `revoked an access token of ${app}`;
    case 'oauth.authorized':
      return `allowed ${app} to act on the account`;
    case 'oauth.denied':
      return `refused ${app} access to the account`;
    case 'apikey.created':
      return `created ${t}`;
    case 'apikey.regenerated':
      return `regenerated the secret of ${t}`;
    case 'apikey.revealed':
      return `revealed the secret of ${t}${str(m.via) ? ` (on the ${m.via})` : ''}`;
    case 'apikey.revoked':
      return `revoked ${t}`;
    case 'apikey.settings_changed':
      return m.recoverable_keys ? 'turned recoverable API keys on' : 'turned recoverable API keys off';
    case 'team.created':
      return `created ${t}`;
    case 'team.renamed':
      return `renamed ${t}`;
    case 'team.member_invited':
      return `invited ${str(m.email) ?? 'someone'} to ${t}${str(m.role) ? ` as ${m.role}` : ''}`;
    case 'team.invitation_accepted':
      return `accepted the invitation to ${t}`;
    case 'team.invitation_declined':
      return `declined the invitation to ${t}`;
    case 'team.invitation_cancelled':
      return `cancelled the invitation of ${str(m.email) ?? 'someone'} to ${t}`;
    case 'team.member_added':
      return `joined ${t}${str(m.role) ? ` as ${m.role}` : ''}, accepting your invitation`;
    case 'team.member_removed':
      return m.member_id === event.actor.id ? `left ${t}` : `removed ${member} from ${t}`;
    case 'team.role_changed':
      return `changed the role of ${member} in ${t}${str(m.from) && str(m.to) ? ` from ${m.from} to ${m.to}` : ''}`;
    case 'flow.updated':
      return `edited ${t}`;
    case 'flow.run_killed':
      return `stopped a run of ${str(m.flow_id) ? thing(names, 'flow', m.flow_id as string) : 'a flow'}`;
    case 'flow.trigger_added':
      return `added a trigger to ${t}`;
    case 'flow.trigger_deleted':
      return `removed a trigger from ${t}`;
    case 'purchase.recorded':
      return `recorded ${t}`;
    case 'sale.refunded':
      return `refunded ${t}`;
    case 'sale.shipped':
      return `marked ${t} as shipped`;
    case 'license.rotated':
      return `rotated the key of ${t}`;
    case 'license.disabled':
      return `disabled ${t}`;
    case 'license.enabled':
      return `enabled ${t}`;
    case 'license.uses_reset':
      return `reset the uses of ${t}`;
    case 'license.uses_decremented':
      return `took one use off ${t}`;
    case 'license.activation_limit_changed':
      return `changed the seat limit of ${t}`;
    case 'resource_subscription.created':
      return `added ${t}`;
    case 'resource_subscription.secret_rotated':
      return `rotated the signing secret of ${t}`;
    case 'webhook.redelivered':
      return 'sent a webhook delivery again';
  }
  // created / updated / deleted of the catalog and the rest: "<verb> <thing>".
  const [kind, verb = ''] = event.action.split('.', 2);
  const verbWords = verb.replace(/_/g, ' ');
  return event.target ? `${verbWords} ${t}` : `${verbWords} (${(kind ?? '').replace(/_/g, ' ')})`;
}

/** Events told without an actor: whoever acted was not signed in yet (sign-up, sign-in). */
const WITHOUT_ACTOR: Record<string, string> = {
  'user.created': 'The account was created',
  'session.created': 'Someone signed in to the account (a new session)',
  'login.failed': 'A sign-in to the account failed: wrong password',
};

/** "just now", "3 minutes ago", "2 days ago", then the date. */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (s < 3600) return unit(Math.max(1, Math.round(s / 60)), 'minute');
  if (s < 86400) return unit(Math.round(s / 3600), 'hour');
  if (s < 30 * 86400) return unit(Math.round(s / 86400), 'day');
  return `on ${utcDay(ms)}`;
}

/** The things a page of events names (targets, actors, and ids kept in metadata). */
function refsOf(events: AuditEvent[]): Ref[] {
  const refs: Ref[] = [];
  for (const e of events) {
    if (e.target) refs.push(e.target);
    if (e.actor.id) refs.push({ type: e.actor.type === 'token' ? 'access_token' : e.actor.type, id: e.actor.id });
    if (typeof e.metadata.application_id === 'string') refs.push({ type: 'application', id: e.metadata.application_id });
    if (typeof e.metadata.member_id === 'string') refs.push({ type: 'user', id: e.metadata.member_id });
    if (typeof e.metadata.flow_id === 'string') refs.push({ type: 'flow', id: e.metadata.flow_id });
  }
  return refs;
}

/** One page of the viewer's audit log, each event as a sentence. */
export async function auditLines(ctx: AppContext, viewerId: string, filter: Omit<AuditFilter, 'userId'>, now = Date.now()): Promise<AuditLine[]> {
  const events = await listAuditEvents(ctx, { ...filter, userId: viewerId });
  const names = await namesOf(ctx.db, refsOf(events));
  return events.map((e) => ({
    id: e.id,
    occurredAt: e.occurred_at,
    ago: ago(Date.parse(e.occurred_at), now),
    sentence:
      e.action === 'admin.owner_granted' && e.metadata.reason === 'first_account'
        ? 'The first account on this server became its owner'
        : WITHOUT_ACTOR[e.action] ?? `${actorWords(e, viewerId, names)} ${phrase(e, viewerId, names)}`,
    action: e.action,
    target: e.target,
    ip: e.ip,
    metadata: e.metadata,
  }));
}
