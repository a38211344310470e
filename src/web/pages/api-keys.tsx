import type { ApiKey } from '../../apikeys/service.js';
import { API_KEY_SCOPES } from '../../apikeys/scopes.js';
import { Checkboxes, CopyBox, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Select, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import { forgetKeysConsequence, regenerateKeyConsequence, revokeKeyConsequence } from '../services/consequences.js';
import type { Viewer } from '../page-auth.js';
import type { ApiKeysOverview } from '../services/api-keys.js';

export const KEY_EXPIRY_CHOICES = [
  { value: '', label: 'Never expires' },
  { value: '2592000', label: '30 days' },
  { value: '7776000', label: '90 days' },
  { value: '31536000', label: '1 year' },
];

export const KEY_GRACE_CHOICES = [
  { value: '0', label: 'Old secret stops now' },
  { value: '3600', label: 'Old secret works 1 more hour' },
  { value: '86400', label: 'Old secret works 24 more hours' },
];

const SCOPE_HINTS: Record<string, string> = { 'flows:run': 'start and stop flow runs', 'flows:read': 'read runs and flows' };
const scopeOptions = API_KEY_SCOPES.map((s) => ({ value: s, label: s, hint: SCOPE_HINTS[s] }));

export interface ApiKeysPageProps {
  viewer: Viewer;
  overview: ApiKeysOverview;
  /** A secret to show once: just created, regenerated or revealed. */
  shown?: ShownKey | null;
  notice?: string | null;
  error?: string | null;
  /** A reload of the page that showed a secret: it is not shown again. */
  alreadyShown?: boolean;
}

/** A secret shown once: just created, regenerated or revealed. */
export type ShownKey = { name: string; secret: string; how: 'created' | 'regenerated' | 'revealed' };

/** The page a key's forms come back to (a team's page), as a hidden field; none: /api-keys. */
function ReturnTo(props: { to?: string }) {
  return props.to ? <input type="hidden" name="return_to" value={props.to} /> : null;
}

function KeyRow(props: { viewer: Viewer; apiKey: ApiKey; returnTo?: string }) {
  const { apiKey: k, viewer } = props;
  const base = `/api-keys/${encodeURIComponent(k.id)}`;
  const back = props.returnTo ? { return_to: props.returnTo } : undefined;
  return (
    <tr data-key={k.id}>
      <td data-label="Name">{k.name}</td>
      <td data-label="Key">
        <code>{k.hint}</code>
      </td>
      <td data-label="Scopes">{k.scopes.join(', ')}</td>
      <td data-label="Created">
        <Time at={k.created_at} />
      </td>
      <td data-label="Last used">
        <Time at={k.last_used_at} never="never" />
      </td>
      <td data-label="Expires">
        <Time at={k.expires_at} never="never" />
        {k.previous_valid_until && (
          <div class="hint">
            previous secret works until <Time at={k.previous_valid_until} />
          </div>
        )}
      </td>
      <td data-label="Actions">
        <div class="actions license-actions">
          <DangerForm
            action={`${base}/regenerate`}
            csrf={viewer.csrf}
            class="rotate-form"
            label={`Regenerate ${k.name}`}
            button="Regenerate"
            buttonClass="button button-secondary button-small"
            consequence={regenerateKeyConsequence(k.name, k.hint, null)}
            hidden={back}
          >
            <label for={`grace-${k.id}`} class="visually-hidden">
              Grace period for the old secret
            </label>
            <select id={`grace-${k.id}`} name="grace_seconds">
              {KEY_GRACE_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </DangerForm>
          {k.recoverable && (
            <PostForm action={`${base}/reveal`} csrf={viewer.csrf} class="rotate-form" label={`Reveal ${k.name}`}>
              <ReturnTo to={props.returnTo} />
              <label for={`password-${k.id}`} class="visually-hidden">
                Your password, to reveal {k.name}
              </label>
              <input id={`password-${k.id}`} name="password" type="password" placeholder="Your password" autocomplete="current-password" required />
              <button type="submit" class="button button-secondary button-small">
                Reveal
              </button>
            </PostForm>
          )}
          <DangerForm action={`${base}/revoke`} csrf={viewer.csrf} label={`Revoke ${k.name}`} button="Revoke" consequence={revokeKeyConsequence(k.name, k.hint)} hidden={back} />
        </div>
      </td>
    </tr>
  );
}

export function KeyTable(props: { viewer: Viewer; keys: ApiKey[]; label: string; returnTo?: string }) {
  if (props.keys.length === 0) return <p class="muted">No keys yet.</p>;
  return (
    <DataTable label={props.label} columns={['Name', 'Key', 'Scopes', 'Created', 'Last used', 'Expires', 'Actions']}>
      {props.keys.map((k) => (
        <KeyRow key={k.id} viewer={props.viewer} apiKey={k} returnTo={props.returnTo} />
      ))}
    </DataTable>
  );
}

export function CreateKeyForm(props: { viewer: Viewer; teamId?: string; idPrefix: string; label: string; returnTo?: string }) {
  return (
    <PostForm action="/api-keys" csrf={props.viewer.csrf} label={props.label}>
      <ReturnTo to={props.returnTo} />
      {props.teamId && <input type="hidden" name="team_id" value={props.teamId} />}
      <div class="form-row">
        <Field label="Key name" name="name" id={`${props.idPrefix}-name`} placeholder="CRM webhook" required />
        <Select label="Expiry" name="expires_in" id={`${props.idPrefix}-expiry`} options={KEY_EXPIRY_CHOICES} value="" />
      </div>
      <Checkboxes legend="Scopes" name="scopes" options={scopeOptions} checked={['flows:run', 'flows:read']} />
      <button type="submit" class="button">
        {props.label}
      </button>
    </PostForm>
  );
}

/** Personal API keys and, for owners and admins, the team keys: create, regenerate, reveal, revoke. */
export function ApiKeysPage(props: ApiKeysPageProps) {
  const { viewer, overview, shown } = props;
  return (
    <Layout title="API keys" viewer={viewer} active="api-keys">
      <PageHeader title="API keys">
        <p class="muted">Keys start your flows from scripts and other services (the Gumloop-compatible API under /api/v1).</p>
      </PageHeader>
      {shown && (
        <section class="panel" aria-labelledby="shown-heading">
          <h2 id="shown-heading">
            {shown.how === 'revealed' ? 'Key' : shown.how === 'created' ? 'New key' : 'New secret'}: {shown.name}
          </h2>
          <CopyBox id="api-key" label="API key" value={shown.secret} secret />
          <p class="alert alert-warning">
            {shown.how === 'revealed' ? 'This reveal was recorded in your audit log.' : 'Copy it now: unless recoverable keys are on, it is shown only this once.'}
          </p>
        </section>
      )}
      {props.alreadyShown && (
        <Notice kind="info">Already shown: the key on this page was shown once and is not shown again. Regenerate it if you did not copy it.</Notice>
      )}
      {props.notice && <Notice>{props.notice}</Notice>}
      <ErrorBox error={props.error} />
      <section class="panel" aria-labelledby="personal-heading">
        <h2 id="personal-heading">Personal keys</h2>
        <CopyBox id="api-user-id" label="Your user_id for the flows API" value={overview.apiUserId} />
        <KeyTable viewer={viewer} keys={overview.personal} label="Personal keys" />
        <h3>Create a personal key</h3>
        <CreateKeyForm viewer={viewer} idPrefix="personal" label="Create personal key" />
        <PostForm action="/api-keys/settings" csrf={viewer.csrf} label="Recoverable keys">
          <input type="hidden" name="recoverable_keys" value={overview.recoverable ? 'off' : 'on'} />
          <p>
            Recoverable keys are <strong>{overview.recoverable ? 'on' : 'off'}</strong>:{' '}
            {overview.recoverable
              ? 'new keys are also stored encrypted and can be revealed again with your password.'
              : 'keys are shown once and only their hash is stored.'}
          </p>
          <button
            type="submit"
            class="button button-secondary button-small"
            data-confirm={overview.recoverable ? forgetKeysConsequence(overview.personal.filter((k) => k.recoverable).length) : undefined}
          >
            {overview.recoverable ? 'Turn off (forgets every stored key)' : 'Turn on recoverable keys'}
          </button>
        </PostForm>
      </section>
      {overview.teams.map(({ team, keys }) => (
        <section class="panel" key={team.id} aria-label={`Team ${team.name}`}>
          <h2>
            Team <a href={`/teams/${encodeURIComponent(team.id)}`}>{team.name}</a>
          </h2>
          <p class="muted">
            Your role: {team.role}. Team ID (project_id): <code>{team.id}</code>
          </p>
          {keys === null ? (
            <p>Only owners and admins manage team keys.</p>
          ) : (
            <>
              <KeyTable viewer={viewer} keys={keys} label={`Keys of team ${team.name}`} />
              <h3>Create a team key</h3>
              <CreateKeyForm viewer={viewer} teamId={team.id} idPrefix={`team-${team.id}`} label={`Create key for ${team.name}`} />
            </>
          )}
        </section>
      ))}
      <section class="panel" aria-labelledby="team-heading">
        <h2 id="team-heading">Create a team</h2>
        <p class="muted">
          A team shares flows and keys. Invite members and give them roles on the <a href="/teams">Teams</a> page.
        </p>
        <PostForm action="/api-keys/teams" csrf={viewer.csrf} label="Create a team">
          <Field label="Team name" name="name" id="team-name" required />
          <button type="submit" class="button button-secondary">
            Create team
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}
