import { Csrf, ErrorBox, Field } from '../components.js';
import { Layout } from '../layout.js';

export function PasswordResetPage(props: { csrf: string; token: string; error?: string | null }) {
  return (
    <Layout title="Choose a new password">
      <div class="panel panel-narrow">
        <h1>Choose a new password</h1>
        <ErrorBox error={props.error} />
        <form method="post" action="/password/reset" novalidate>
          <Csrf token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          <Field
            label="New password"
            name="password"
            type="password"
            autocomplete="new-password"
            hint="At least 8 characters, and not one of the most common passwords. Every session of your account will be signed out."
            required
          />
          <button type="submit" class="button">
            Set new password
          </button>
        </form>
      </div>
    </Layout>
  );
}
