import type { Viewer } from '../page-auth.js';
import { API_REFERENCE_HREF, Layout } from '../layout.js';

const TITLES: Record<number, string> = { 400: 'That did not work', 403: 'Not allowed', 404: 'Page not found', 413: 'That file is too large', 429: 'Slow down a little' };

/** A failure shown as a page: what happened, in words, and ways on. */
export function ErrorPage(props: { viewer: Viewer | null; status: number; message: string }) {
  const title = props.status >= 500 ? 'Something went wrong' : (TITLES[props.status] ?? 'That did not work');
  return (
    <Layout title={title} viewer={props.viewer}>
      <div class="panel panel-narrow error-page">
        <p class="error-status" aria-hidden="true">
          {props.status}
        </p>
        <h1>{title}</h1>
        <p role="alert">{props.message}</p>
        <ul class="ways-on">
          <li>
            <a href="/">{props.viewer ? 'Back to the overview' : 'Log in to the dashboard'}</a>
          </li>
          {props.viewer && (
            <li>
              <a href="/audit">See what happened lately in the audit log</a>
            </li>
          )}
          <li>
            <a href={API_REFERENCE_HREF}>Read the API reference</a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}
