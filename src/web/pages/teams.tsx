import type { ApiKey } from '../../apikeys/service.js';
import type { Flow } from '../../flows/service.js';
import type { Team, TeamMember } from '../../teams/service.js';
import type { TeamInvitation } from '../../teams/invitations.js';
import { CopyBox, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Select, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { cancelInvitationConsequence, declineInvitationConsequence, leaveTeamConsequence, removeMemberConsequence } from '../services/consequences.js';
import { CreateKeyForm, KeyTable, type ShownKey } from './api-keys.js';

export const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;
const ROLE_HINT = 'Owners and admins invite and remove members and manage the team’s keys and flows; members see and run the team’s flows.';

export interface TeamsPageProps {
  viewer: Viewer;
  invitations: TeamInvitation[];
  teams: Team[];
  notice?: string | null;
  error?: string | null;
  /** What was typed in the create form, after a mistake. */
  name?: string;
}

/** Teams: invitations waiting for the visitor (accept or decline), their teams, and a new team. */
export function TeamsPage(props: TeamsPageProps) {
  const { viewer, invitations, teams } = props;
  return (
    <Layout title="Teams" viewer={viewer} active="teams">
      <PageHeader title="Teams">
        <p class="muted">A team shares flows and API keys. Its keys act for you only after you accept its invitation, and stop the moment you leave.</p>
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
                  <DangerForm
                    action={`/teams/invitations/${encodeURIComponent(i.id)}/decline`}
                    csrf={viewer.csrf}
                    label={`Decline the invitation to ${i.team.name}`}
                    button="Decline"
                    buttonClass="button button-secondary"
                    consequence={declineInvitationConsequence(i.team.name, i.invited_by)}
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Your teams</h2>
        {teams.length === 0 ? (
          <p class="muted">You belong to no team yet. Create one below, or accept an invitation.</p>
        ) : (
          <DataTable label="Your teams" columns={['Team', 'Your role', 'Team ID (project_id)']}>
            {teams.map((t) => (
              <tr key={t.id}>
                <td data-label="Team">
                  <a href={`/teams/${encodeURIComponent(t.id)}`}>{t.name}</a>
                </td>
                <td data-label="Your role">{ROLE_LABELS[t.role]}</td>
                <td data-label="Team ID (project_id)">
                  <code>{t.id}</code>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section class="panel" aria-labelledby="new-team-heading">
        <h2 id="new-team-heading">Create a team</h2>
        <PostForm action="/teams" csrf={viewer.csrf} label="Create a team">
          <ErrorBox error={props.error} />
          <Field label="Team name" name="name" id="team-name" value={props.name} required />
          <button type="submit" class="button">
            Create team
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}

export interface TeamPageProps {
  viewer: Viewer;
  team: Team & { members: TeamMember[] };
  /** Pending invitations; null for plain members (only owners and admins see them). */
  invitations: TeamInvitation[] | null;
  /** The team's API keys; null for plain members. */
  keys: ApiKey[] | null;
  flows: Flow[];
  shownKey?: ShownKey | null;
  alreadyShown?: boolean;
  notice?: string | null;
  error?: { form: string; message: string; values: Record<string, string> } | null;
}

function MemberRow(props: { viewer: Viewer; team: TeamPageProps['team']; member: TeamMember; manager: boolean }) {
  const { viewer, team, member } = props;
  const self = member.id === viewer.user.id;
  const base = `/teams/${encodeURIComponent(team.id)}/members/${encodeURIComponent(member.id)}`;
  const mayRemove = !self && props.manager && (member.role !== 'owner' || team.role === 'owner');
  return (
    <tr data-member={member.email}>
      <td class="wrap" data-label="Member">
        {member.email}
        {self && <span class="muted"> (you)</span>}
      </td>
      <td data-label="Role">
        {team.role === 'owner' && !self ? (
          <PostForm action={`${base}/role`} csrf={viewer.csrf} class="rotate-form" label={`Role of ${member.email}`}>
            <label for={`role-${member.id}`} class="visually-hidden">
              Role of {member.email}
            </label>
            <select id={`role-${member.id}`} name="role">
              {(['owner', 'admin', 'member'] as const).map((r) => (
                <option key={r} value={r} selected={r === member.role}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
            <button type="submit" class="button button-secondary button-small">
              Change role
            </button>
          </PostForm>
        ) : (
          ROLE_LABELS[member.role]
        )}
      </td>
      <td data-label="Joined">
        <Time at={member.added_at} />
      </td>
      <td data-label="Actions">
        {mayRemove && (
          <DangerForm action={`${base}/remove`} csrf={viewer.csrf} label={`Remove ${member.email}`} button="Remove" consequence={removeMemberConsequence(member.email, team.name)} />
        )}
        {self && (
          <DangerForm
            action={`/teams/${encodeURIComponent(team.id)}/leave`}
            csrf={viewer.csrf}
            label={`Leave ${team.name}`}
            button="Leave team"
            buttonClass="button button-secondary button-small"
            consequence={leaveTeamConsequence(team.name)}
          />
        )}
      </td>
    </tr>
  );
}

/** One team: members and roles, invitations, the team's API keys and its flows. */
export function TeamPage(props: TeamPageProps) {
  const { viewer, team } = props;
  const manager = team.role === 'owner' || team.role === 'admin';
  const base = `/teams/${encodeURIComponent(team.id)}`;
  const errorOf = (form: string) => (props.error?.form === form ? props.error.message : null);
  return (
    <Layout title={`Team ${team.name}`} viewer={viewer} active="teams">
      <PageHeader title={`Team ${team.name}`} back={{ href: '/teams', label: 'Teams' }}>
        <p class="muted">
          Your role: {ROLE_LABELS[team.role]}. {ROLE_HINT}
        </p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      {/* A plain member's refused attempt: its form is not on their page, so the answer is shown here. */}
      {!manager && props.error && props.error.form !== 'members' && <ErrorBox error={props.error.message} />}
      <CopyBox id="team-id" label="Team ID (the project_id of the flows API)" value={team.id} />
      <section class="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <ErrorBox error={errorOf('members')} />
        <DataTable label="Members" columns={['Member', 'Role', 'Joined', 'Actions']}>
          {team.members.map((m) => (
            <MemberRow key={m.id} viewer={viewer} team={team} member={m} manager={manager} />
          ))}
        </DataTable>
        {manager && (
          <>
            <h3>Invite someone</h3>
            <p class="muted">They join when they accept the invitation on their own Teams page (it waits 14 days).</p>
            <PostForm action={`${base}/invitations`} csrf={viewer.csrf} label="Invite a member">
              <ErrorBox error={errorOf('invite')} />
              <div class="form-row">
                <Field label="Email" name="email" type="email" id="invite-email" value={props.error?.form === 'invite' ? props.error.values.email : undefined} required autocomplete="off" />
                <Select
                  label="Role"
                  name="role"
                  id="invite-role"
                  value="member"
                  options={(team.role === 'owner' ? (['member', 'admin', 'owner'] as const) : (['member', 'admin'] as const)).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                />
              </div>
              <button type="submit" class="button">
                Send invitation
              </button>
            </PostForm>
          </>
        )}
      </section>
      {props.invitations && (
        <section class="panel" aria-labelledby="pending-heading">
          <h2 id="pending-heading">Pending invitations</h2>
          {props.invitations.length === 0 ? (
            <p class="muted">No invitation is waiting for an answer.</p>
          ) : (
            <ul class="list">
              {props.invitations.map((i) => (
                <li key={i.id} class="invitation">
                  <p>
                    <strong>{i.email}</strong> — {ROLE_LABELS[i.role]}, invited by {i.invited_by}; expires <Time at={i.expires_at} />
                  </p>
                  <DangerForm
                    action={`${base}/invitations/${encodeURIComponent(i.id)}/cancel`}
                    csrf={viewer.csrf}
                    label={`Cancel the invitation of ${i.email}`}
                    button="Cancel invitation"
                    consequence={cancelInvitationConsequence(i.email, team.name)}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section class="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Team API keys</h2>
        {props.keys === null ? (
          <p>Only owners and admins manage the team’s keys.</p>
        ) : (
          <>
            {props.alreadyShown && <Notice kind="info">Already shown: the key on this page was shown once and is not shown again. Regenerate it if you did not copy it.</Notice>}
            {props.shownKey && (
              <div class="secret-card">
                <h3>
                  {props.shownKey.how === 'created' ? 'New key' : props.shownKey.how === 'revealed' ? 'Key' : 'New secret'}: {props.shownKey.name}
                </h3>
                <CopyBox id="api-key" label="API key" value={props.shownKey.secret} secret />
                <p class="alert alert-warning">Copy it now: unless the team keeps recoverable keys, it is shown only this once.</p>
              </div>
            )}
            <ErrorBox error={errorOf('api-keys')} />
            <KeyTable viewer={viewer} keys={props.keys} label={`Keys of team ${team.name}`} returnTo={base} />
            <h3>Create a team key</h3>
            <CreateKeyForm viewer={viewer} teamId={team.id} idPrefix={`team-${team.id}`} label={`Create key for ${team.name}`} returnTo={base} />
          </>
        )}
      </section>
      <section class="panel" aria-labelledby="flows-heading">
        <h2 id="flows-heading">Team flows</h2>
        {props.flows.length === 0 ? (
          <p class="muted">
            No flow yet.{' '}
            {manager ? (
              <a href="/flows/new">Create one and choose this team as its owner.</a>
            ) : (
              'Owners and admins create the team’s flows.'
            )}
          </p>
        ) : (
          <ul class="list">
            {props.flows.map((f) => (
              <li key={f.id}>
                <a href={`/flows/${encodeURIComponent(f.id)}`}>{f.name}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
