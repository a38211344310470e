import type { Viewer } from '../page-auth.js';
import { Layout } from '../layout.js';

/** A failure shown as a page: what happened and a way back. */
export function ErrorPage(props: { viewer: Viewer | null; status: number; message: string }) {
  const title = props.status === 404 ? 'Not found' : props.status === 403 ? 'Not allowed' : props.status >= 500 ? 'Something went wrong' : 'That did not work';
  return (
    <Layout title={title} viewer={props.viewer}>
      <div class="panel panel-narrow">
        <h1>{title}</h1>
        <p role="alert">{props.message}</p>
        <p>
          <a href="/">Back to the dashboard</a>
        </p>
      </div>
    </Layout>
  );
}
