import type { ComponentChildren } from 'preact';
import { DataTable, PageHeader, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { FlowGroup } from '../services/flows.js';

/** The viewer's flows and their teams' flows. */
export function FlowsPage(props: { viewer: Viewer; groups: FlowGroup[]; deleted?: boolean; /** Runs by state (src/web/dashboard-charts.tsx). */ charts?: ComponentChildren }) {
  return (
    <Layout title="Flows" viewer={props.viewer} active="flows">
      <PageHeader title="Flows">
        <p class="muted">Automations started from the dashboard, from scripts with an API key, or from a webhook.</p>
        <a class="button" href="/flows/new">
          New flow
        </a>
      </PageHeader>
      {props.deleted && (
        <p class="alert alert-success" role="status">
          Flow deleted.
        </p>
      )}
      {props.charts && (
        <section class="panel charts" aria-label="Charts">
          {props.charts}
        </section>
      )}
      {props.groups.map((group) => (
        <section class="panel" key={group.team?.id ?? 'own'} aria-label={group.team ? `Flows of team ${group.team.name}` : 'Your flows'}>
          <h2>{group.team ? `Team ${group.team.name}` : 'Your flows'}</h2>
          {group.flows.length === 0 ? (
            <p class="muted">No flows yet.</p>
          ) : (
            <DataTable columns={['Flow', 'Steps', 'Updated']}>
              {group.flows.map((f) => (
                <tr key={f.id}>
                  <td data-label="Flow">
                    <a href={`/flows/${encodeURIComponent(f.id)}`}>{f.name}</a>
                    {f.description && <div class="muted">{f.description}</div>}
                  </td>
                  <td data-label="Steps">{f.definition.steps.map((s) => s.type).join(' → ')}</td>
                  <td data-label="Updated">
                    <Time at={f.updated_at} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ))}
    </Layout>
  );
}
