import type { Team } from '../../teams/service.js';
import type { TeamInvitation } from '../../teams/invitations.js';
import { Notice, PageHeader, PostForm, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export interface TeamsPageProps {
  viewer: Viewer;
  invitations: TeamInvitation[];
  teams: Team[];
  notice?: string | null;
}

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;

/** Teams: invitations waiting for the visitor (accept or decline) and the teams they belong to. */
export function TeamsPage(props: TeamsPageProps) {
  const { viewer, invitations, teams } = props;
  return (
    <Layout title="Teams" viewer={viewer} active="teams">
      <PageHeader title="Teams">
        <p class="muted">A team's keys act for you only after you accept its invitation, and stop the moment you leave.</p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      <section class="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Invitations</h2>
        {invitations.length === 0 ? (
          <p class="muted">No invitation is waiting for you.</p>
        ) : (
          <ul class="list">
            {invitations.map((i) => (
              <li key={i.id} class="invitation">
                <p>
                  <strong>{i.team.name}</strong> — {ROLE_LABELS[i.role]}, invited by {i.invited_by}; expires <Time at={i.expires_at} />
                </p>
                <div class="actions">
                  <PostForm action={`/teams/invitations/${encodeURIComponent(i.id)}/accept`} csrf={viewer.csrf} label={`Accept the invitation to ${i.team.name}`}>
                    <button type="submit" class="button">
                      Accept
                    </button>
                  </PostForm>
                  <a class="button button-secondary" href={`/teams/invitations/${encodeURIComponent(i.id)}/decline`}>
                    Decline
                  </a>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Your teams</h2>
        {teams.length === 0 ? (
          <p class="muted">You belong to no team.</p>
        ) : (
          <ul class="list">
            {teams.map((t) => (
              <li key={t.id}>
                <strong>{t.name}</strong> — {ROLE_LABELS[t.role]} <span class="muted">(project_id {t.id})</span>{' '}
                <a href={`/teams/${encodeURIComponent(t.id)}/leave`}>Leave</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** The question before declining an invitation or leaving a team: one page, two uses. */
export function TeamConfirmPage(props: { viewer: Viewer; title: string; consequence: string; action: string; button: string }) {
  return (
    <Layout title={props.title} viewer={props.viewer} active="teams">
      <PageHeader title={props.title} back={{ href: '/teams', label: 'Teams' }} />
      <div class="panel">
        <p class="alert alert-warning" id="confirm-consequence">
          {props.consequence}
        </p>
        <div class="actions">
          <PostForm action={props.action} csrf={props.viewer.csrf} label={props.button}>
            <button type="submit" class="button button-danger" aria-describedby="confirm-consequence">
              {props.button}
            </button>
          </PostForm>
          <a class="button button-secondary" href="/teams">
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  );
}
