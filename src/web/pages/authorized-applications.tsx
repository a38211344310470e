import type { AuthorizedApplication } from '../../oauth/authorized-applications-service.js';
import { SCOPE_DESCRIPTIONS } from '../../auth/scopes.js';
import { Notice, PageHeader, PostForm, Time } from '../components.js';
import { Layout } from '../layout.js';
import { revokeAccessConsequence } from '../services/consequences.js';
import type { Viewer } from '../page-auth.js';

export interface AuthorizedApplicationsProps {
  viewer: Viewer;
  applications: AuthorizedApplication[];
  /** Set after a revocation: how many tokens died. */
  revoked?: { tokens: number } | null;
}

/** Third-party applications holding OAuth access to the account, each with a revoke button. */
export function AuthorizedApplicationsPage(props: AuthorizedApplicationsProps) {
  const { viewer, applications } = props;
  return (
    <Layout title="Authorized applications" viewer={viewer} active="authorized">
      <PageHeader title="Authorized applications">
        <p class="muted">Applications you allowed to act on your account through OAuth. Revoking one ends all its access at once.</p>
      </PageHeader>
      {props.revoked && (
        <Notice>
          Access revoked: {props.revoked.tokens} token{props.revoked.tokens === 1 ? '' : 's'} no longer work{props.revoked.tokens === 1 ? 's' : ''}.
        </Notice>
      )}
      {applications.length === 0 ? (
        <p class="panel muted">No application holds access to your account.</p>
      ) : (
        applications.map((a) => (
          <section class="panel" key={a.application_id} aria-label={a.name}>
            <h2>
              {a.icon_url ? <img class="app-icon" src={a.icon_url} alt="" width={32} height={32} /> : <span class="app-icon" aria-hidden="true" />} {a.name}
            </h2>
            <dl class="facts">
              <dt>By</dt>
              <dd>{a.owner}</dd>
              <dt>Authorized</dt>
              <dd>
                <Time at={a.created_at} />
              </dd>
              <dt>Last used</dt>
              <dd>
                <Time at={a.last_used_at} never="not yet" />
              </dd>
              <dt>May</dt>
              <dd>
                <ul>
                  {a.scopes.map((s) => (
                    <li key={s}>{SCOPE_DESCRIPTIONS[s] ?? s}</li>
                  ))}
                </ul>
              </dd>
            </dl>
            <PostForm
              action={`/settings/authorized-applications/${encodeURIComponent(a.application_id)}/revoke`}
              csrf={viewer.csrf}
              label={`Revoke ${a.name}`}
            >
              <button type="submit" class="button button-danger" data-confirm={revokeAccessConsequence(a.name)}>
                Revoke access
              </button>
            </PostForm>
          </section>
        ))
      )}
    </Layout>
  );
}
