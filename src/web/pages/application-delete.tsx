import type { Application } from '../../applications/service.js';
import { PageHeader, PostForm } from '../components.js';
import { CONFIRMED_FIELD } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { deleteConsequence } from '../services/consequences.js';

/** The confirmation before deleting: says how many live tokens die with the application. */
export function DeleteApplicationPage(props: { viewer: Viewer; application: Application; liveTokens: number }) {
  const { application, liveTokens } = props;
  const base = `/settings/advanced/applications/${encodeURIComponent(application.id)}`;
  return (
    <Layout title={`Delete ${application.name}`} viewer={props.viewer} active="applications">
      <PageHeader title={`Delete “${application.name}”?`} back={{ href: base, label: application.name }} />
      <div class="panel">
        <p class="alert alert-warning" id="delete-consequence">
          {deleteConsequence(liveTokens)}
        </p>
        <div class="actions">
          <PostForm action={`${base}/delete`} csrf={props.viewer.csrf} label="Confirm deletion">
            <input type="hidden" name={CONFIRMED_FIELD} value="yes" />
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
