import type { Application } from '../../applications/service.js';
import { DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export interface SettingsAdvancedProps {
  viewer: Viewer;
  applications: Application[];
  /** Set after a deletion: how many tokens died with it. */
  deleted?: { revokedTokens: number } | null;
  form?: { name: string; redirect_uri: string; error: string } | null;
}

export function AppIcon(props: { application: Application }) {
  return props.application.icon_url ? (
    <img class="app-icon" src={props.application.icon_url} alt="" width={32} height={32} />
  ) : (
    <span class="app-icon" aria-hidden="true" />
  );
}

/** Settings → Advanced: the seller's OAuth applications and the form to make one. */
export function SettingsAdvancedPage(props: SettingsAdvancedProps) {
  const { viewer, applications, form } = props;
  return (
    <Layout title="Applications" viewer={viewer} active="applications">
      <PageHeader title="Settings → Advanced">
        <p class="muted">Applications hold access tokens for the API v2: one for each tool or script you connect.</p>
      </PageHeader>
      {props.deleted && (
        <Notice>
          Application deleted. {props.deleted.revokedTokens} access token{props.deleted.revokedTokens === 1 ? '' : 's'} revoked.
        </Notice>
      )}
      <section class="panel" aria-labelledby="apps-heading">
        <h2 id="apps-heading">Applications</h2>
        {applications.length === 0 ? (
          <p class="muted">No applications yet. Create one below to get an access token.</p>
        ) : (
          <DataTable columns={['Application', 'Redirect URI', 'Created']}>
            {applications.map((a) => (
              <tr key={a.id}>
                <td data-label="Application">
                  <AppIcon application={a} /> <a href={`/settings/advanced/applications/${encodeURIComponent(a.id)}`}>{a.name}</a>
                </td>
                <td class="wrap" data-label="Redirect URI">
                  <code>{a.redirect_uri}</code>
                </td>
                <td data-label="Created">
                  <Time at={a.created_at} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section class="panel" aria-labelledby="new-app-heading">
        <h2 id="new-app-heading">Create application</h2>
        <ErrorBox error={form?.error} />
        <PostForm action="/settings/advanced/applications" csrf={viewer.csrf} multipart label="Create application">
          <Field label="Application icon" name="icon" type="file" accept="image/png,image/jpeg" hint="PNG or JPEG, at most 256 KiB." />
          <Field label="Name" name="name" value={form?.name} required />
          <Field
            label="Redirect URI"
            name="redirect_uri"
            type="url"
            value={form?.redirect_uri}
            placeholder="http://127.0.0.1"
            hint={
              <>
                Where the OAuth flow sends users back. For a token for your own account, <code>http://127.0.0.1</code> is fine.
              </>
            }
            required
          />
          <button type="submit" class="button">
            Create application
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}
