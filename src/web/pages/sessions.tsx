import type { SessionView } from '../../accounts/sessions.js';
import { DataTable, Notice, PageHeader, Time } from '../components.js';
import { DangerForm, plural } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export function SessionsPage(props: { viewer: Viewer; sessions: SessionView[]; notice?: string | null; idleDays: number | null; lifetimeDays: number }) {
  const others = props.sessions.filter((s) => !s.current).length;
  return (
    <Layout title="Sessions" viewer={props.viewer} active="security">
      <PageHeader title="Signed-in sessions" back={{ href: '/settings/security', label: 'Security' }}>
        <p class="muted">
          A session lasts {props.lifetimeDays} days{props.idleDays !== null ? `, or ends after ${props.idleDays} days without use` : ''}. Sign out any you do not recognise, then change your password.
        </p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      <div class="panel">
        <DataTable label="Sessions" stack={false} columns={['Device', 'IP address', 'Signed in', 'Last seen', 'Actions']}>
          {props.sessions.map((s) => (
            <tr key={s.id} data-session={s.id}>
              <td data-label="Device">
                {s.device} {s.current && <span class="badge badge-ok">this session</span>}
              </td>
              <td data-label="IP address">{s.ip ?? <span class="muted">unknown</span>}</td>
              <td data-label="Signed in">
                <Time at={s.createdAt} />
              </td>
              <td data-label="Last seen">
                <Time at={s.lastSeenAt} />
              </td>
              <td data-label="Actions">
                {s.current ? (
                  <span class="muted">—</span>
                ) : (
                  <DangerForm
                    action={`/settings/sessions/${encodeURIComponent(s.id)}/delete`}
                    csrf={props.viewer.csrf}
                    label={`Sign out ${s.device}`}
                    button="Sign out"
                    buttonClass="button button-secondary button-small"
                    consequence={`The session on ${s.device} will be signed out at once.`}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        {others > 0 && (
          <DangerForm
            action="/settings/sessions/others"
            csrf={props.viewer.csrf}
            label="Sign out all other sessions"
            button="Sign out all other sessions"
            consequence={`${plural(others, 'other session')} will be signed out at once; this one stays.`}
          />
        )}
      </div>
    </Layout>
  );
}
