import type { AuditEvent } from '../../audit/service.js';
import { Field, PageHeader, Select, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export interface AuditFilterForm {
  action: string;
  target_id: string;
  before: string;
}

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
];

function describeActor(event: AuditEvent): string {
  return event.actor.id ? `${event.actor.type} ${event.actor.id}` : event.actor.type;
}

/** The account's audit log, newest first, filtered by kind of event, target and time. */
export function AuditPage(props: { viewer: Viewer; events: AuditEvent[]; filter: AuditFilterForm; olderHref: string | null }) {
  const { events, filter } = props;
  const grouped = ACTION_GROUPS.some((g) => g.value === filter.action);
  return (
    <Layout title="Audit log" viewer={props.viewer} active="audit">
      <PageHeader title="Audit log">
        <p class="muted">Every change on your account, newest first. Secrets are never recorded.</p>
      </PageHeader>
      <form method="get" action="/audit" class="panel" aria-label="Filter the audit log">
        <div class="form-row">
          <Select label="Kind of event" name="action" options={ACTION_GROUPS} value={grouped ? filter.action : ''} />
          <Field label="Exact action" name="exact" value={grouped ? '' : filter.action} placeholder="license.rotated" />
          <Field label="Target ID" name="target_id" value={filter.target_id} />
          <Field label="Before" name="before" type="datetime-local" value={filter.before} hint="UTC" />
        </div>
        <div class="actions">
          <button type="submit" class="button">
            Filter
          </button>
          <a href="/audit">Clear filters</a>
        </div>
      </form>
      {events.length === 0 ? (
        <p class="panel muted">No events match.</p>
      ) : (
        <div class="table-wrap">
          <table class="stack" aria-label="Audit events">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td data-label="When">
                    <Time at={e.occurred_at} />
                  </td>
                  <td data-label="Action">
                    <code>{e.action}</code>
                  </td>
                  <td class="wrap" data-label="By">
                    {describeActor(e)}
                  </td>
                  <td class="wrap" data-label="Target">
                    {e.target ? (
                      <a href={`/audit?target_id=${encodeURIComponent(e.target.id)}`}>
                        {e.target.type} {e.target.id}
                      </a>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td data-label="IP">{e.ip ?? '—'}</td>
                  <td class="wrap" data-label="Details">
                    {Object.keys(e.metadata).length ? <code>{JSON.stringify(e.metadata)}</code> : <span class="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
