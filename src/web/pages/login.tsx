import { Csrf, ErrorBox, Field, Notice } from '../components.js';
import { Layout } from '../layout.js';

export interface LoginPageProps {
  csrf: string;
  next: string;
  email?: string;
  error?: string | null;
  /** A word after a reset, a change, an expired second step. */
  notice?: string | null;
}

export function LoginPage(props: LoginPageProps) {
  const signup = props.next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(props.next)}`;
  return (
    <Layout title="Log in">
      <div class="panel panel-narrow">
        <h1>Log in</h1>
        {props.notice && <Notice kind="info">{props.notice}</Notice>}
        <ErrorBox error={props.error} />
        <form method="post" action="/login" novalidate>
          <Csrf token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <Field label="Email" name="email" type="email" value={props.email} autocomplete="username" required />
          <Field label="Password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit" class="button">
            Log in
          </button>
        </form>
        <p>
          <a href="/password/forgot">Forgot your password?</a>
        </p>
        <p>
          New here? <a href={signup}>Create an account</a>
        </p>
      </div>
    </Layout>
  );
}
