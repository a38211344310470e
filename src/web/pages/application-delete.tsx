import type { Application } from '../../applications/service.js';
import { PageHeader, PostForm } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

/** The confirmation before deleting: says how many live tokens die with the application. */
export function DeleteApplicationPage(props: { viewer: Viewer; application: Application; liveTokens: number }) {
  const { application, liveTokens } = props;
  const base = `/settings/advanced/applications/${encodeURIComponent(application.id)}`;
  return (
    <Layout title={`Delete ${application.name}`} viewer={props.viewer} active="applications">
      <PageHeader title={`Delete “${application.name}”?`} back={{ href: base, label: application.name }} />
      <div class="panel">
        <p class="alert alert-warning" id="delete-consequence">
          {liveTokens === 0
            ? 'This application holds no live access token.'
            : `${liveTokens} live access token${liveTokens === 1 ? '' : 's'} will stop working at once.`}{' '}
          This cannot be undone.
        </p>
        <div class="actions">
          <PostForm action={`${base}/delete`} csrf={props.viewer.csrf} label="Confirm deletion">
            <button type="submit" class="button button-danger" aria-describedby="delete-consequence">
              Delete application
            </button>
          </PostForm>
          <a class="button button-secondary" href={base}>
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  );
}
