import { readableUtc } from '../../util/dates.js';
import { Field, PageHeader, Select } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { AuditLine } from '../services/audit-words.js';

export interface AuditFilterForm {
  actor: string;
  action: string;
  target_id: string;
  /** YYYY-MM-DD, UTC, inclusive. */
  from: string;
  to: string;
}

export const ACTOR_CHOICES = [
  { value: '', label: 'Anyone' },
  { value: 'user', label: 'People (you, team members)' },
  { value: 'token', label: 'Access tokens (your tools)' },
  { value: 'api_key', label: 'API keys' },
  { value: 'system', label: 'Tessera itself' },
  { value: 'cli', label: 'The command line' },
  { value: 'anonymous', label: 'Someone not signed in' },
];

export const ACTION_GROUPS = [
  { value: '', label: 'All events' },
  { value: 'user.', label: 'Account' },
  { value: 'session.', label: 'Sessions' },
  { value: 'login.', label: 'Failed logins' },
  { value: 'application.', label: 'Applications' },
  { value: 'token.', label: 'Access tokens' },
  { value: 'oauth.', label: 'OAuth' },
  { value: 'product.', label: 'Products' },
  { value: 'sale.', label: 'Sales' },
  { value: 'license.', label: 'Licenses' },
  { value: 'apikey.', label: 'API keys' },
  { value: 'team.', label: 'Teams' },
  { value: 'flow.', label: 'Flows' },
  { value: 'resource_subscription.', label: 'Webhooks' },
];

/** The account's audit log in words, newest first, filtered by who, what, which thing and when. */
export function AuditPage(props: { viewer: Viewer; lines: AuditLine[]; filter: AuditFilterForm; olderHref: string | null }) {
  const { lines, filter } = props;
  const grouped = ACTION_GROUPS.some((g) => g.value === filter.action);
  return (
    <Layout title="Audit log" viewer={props.viewer} active="audit">
      <PageHeader title="Audit log">
        <p class="muted">Every change on your account, newest first, in words. Secrets are never recorded.</p>
      </PageHeader>
      <form method="get" action="/audit" class="panel" aria-label="Filter the audit log">
        <div class="form-row">
          <Select label="Who" name="actor" options={ACTOR_CHOICES} value={filter.actor} />
          <Select label="Kind of event" name="action" options={ACTION_GROUPS} value={grouped ? filter.action : ''} />
          <Field label="Exact action" name="exact" value={grouped ? '' : filter.action} placeholder="license.rotated" />
        </div>
        <div class="form-row">
          <Field label="Target ID" name="target_id" value={filter.target_id} hint="Follow a thing’s link in the log to fill this in." />
          <Field label="From" name="from" type="date" value={filter.from} hint="UTC day, included" />
          <Field label="To" name="to" type="date" value={filter.to} hint="UTC day, included" />
        </div>
        <div class="actions">
          <button type="submit" class="button">
            Filter
          </button>
          <a href="/audit">Clear filters</a>
        </div>
      </form>
      {lines.length === 0 ? (
        <p class="panel muted">No events match.</p>
      ) : (
        <ol class="panel audit-list" aria-label="Audit events">
          {lines.map((line) => (
            <li key={line.id} data-action={line.action}>
              <p class="audit-sentence">
                {line.sentence}
                <span class="muted">
                  {' · '}
                  <time datetime={line.occurredAt} title={readableUtc(line.occurredAt)}>
                    {line.ago}
                  </time>
                </span>
              </p>
              <p class="hint">
                <code>{line.action}</code>
                {line.ip && <> · from {line.ip}</>}
                {line.target && (
                  <>
                    {' · '}
                    <a href={`/audit?target_id=${encodeURIComponent(line.target.id)}`}>everything about this {line.target.type.replace(/_/g, ' ')}</a>
                  </>
                )}
              </p>
              {Object.keys(line.metadata).length > 0 && (
                <details class="audit-details">
                  <summary>Details</summary>
                  <pre class="log">{JSON.stringify(line.metadata, null, 2)}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
      {props.olderHref && (
        <p>
          <a class="button button-secondary" href={props.olderHref}>
            Older events
          </a>
        </p>
      )}
    </Layout>
  );
}
