import { Csrf, ErrorBox, Field, Notice } from '../components.js';
import { Layout } from '../layout.js';

export interface PasswordForgotPageProps {
  csrf: string;
  /** SMTP_URL is set: a link can be emailed. */
  canEmail: boolean;
  sent: boolean;
  email?: string;
  error?: string | null;
}

export function PasswordForgotPage(props: PasswordForgotPageProps) {
  return (
    <Layout title="Reset your password">
      <div class="panel panel-narrow">
        <h1>Reset your password</h1>
        {props.sent &&
          (props.canEmail ? (
            <Notice>If an account exists for that address, we have sent it a link to choose a new password. The link works once, for a limited time.</Notice>
          ) : (
            <Notice kind="info">Your request was noted in the server's mail log. This server sends no email: its owner sees the request there and can set a new password for you.</Notice>
          ))}
        {!props.canEmail && (
          <p class="alert alert-warning">
            This server sends no email. Its owner can set a new password for you with <code>tessera user password your@email</code>.
          </p>
        )}
        <ErrorBox error={props.error} />
        <form method="post" action="/password/forgot" novalidate>
          <Csrf token={props.csrf} />
          <Field label="Email" name="email" type="email" value={props.email} autocomplete="username" required />
          <button type="submit" class="button">
            {props.canEmail ? 'Email me a link' : 'Ask for a reset'}
          </button>
        </form>
        <p>
          <a href="/login">Back to log in</a>
        </p>
      </div>
    </Layout>
  );
}
