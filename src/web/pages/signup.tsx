import { Csrf, ErrorBox, Field } from '../components.js';
import { Layout } from '../layout.js';

export interface SignUpPageProps {
  csrf: string;
  next: string;
  email?: string;
  error?: string | null;
}

export function SignUpPage(props: SignUpPageProps) {
  const login = props.next === '/' ? '/login' : `/login?next=${encodeURIComponent(props.next)}`;
  return (
    <Layout title="Sign up">
      <div class="panel panel-narrow">
        <h1>Create your account</h1>
        <ErrorBox error={props.error} />
        <form method="post" action="/signup" novalidate>
          <Csrf token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <Field label="Email" name="email" type="email" value={props.email} autocomplete="email" required />
          <Field label="Password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." required />
          <button type="submit" class="button">
            Sign up
          </button>
        </form>
        <p>
          Already have an account? <a href={login}>Log in</a>
        </p>
      </div>
    </Layout>
  );
}
