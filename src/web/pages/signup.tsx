import type { SignUpState } from '../../admin/signup.js';
import { Csrf, ErrorBox, Field, Time } from '../components.js';
import { Layout } from '../layout.js';

export interface SignUpPageProps {
  csrf: string;
  next: string;
  email?: string | undefined;
  error?: string | null;
  /** The sign-up policy (src/admin/signup.ts): whether the form is offered at all. */
  state: SignUpState;
  /** The invitation token the link carried, sent back with the form. */
  invitation?: string;
}

export function SignUpPage(props: SignUpPageProps) {
  const login = props.next === '/' ? '/login' : `/login?next=${encodeURIComponent(props.next)}`;
  const { state } = props;
  const offered = state.policy !== 'closed' && (state.policy === 'open' || state.firstAccount || state.invitation !== null);
  return (
    <Layout title="Sign up">
      <div class="panel panel-narrow">
        <h1>{offered ? 'Create your account' : state.policy === 'closed' ? 'Sign-up is closed' : 'Sign-up is by invitation'}</h1>
        <ErrorBox error={props.error} />
        {state.policy === 'closed' && <p id="signup-policy">This server does not take new accounts. Ask its owner to create one for you.</p>}
        {!offered && state.policy === 'invite' && (
          <p id="signup-policy">New accounts on this server need an invitation: ask its owner to invite your email address, then open the link they send you.</p>
        )}
        {state.firstAccount && offered && <p class="hint">This is the first account on this server: it becomes the instance owner, who decides who else may sign up.</p>}
        {state.invitation && (
          <p class="hint">
            Invitation for <strong>{state.invitation.email}</strong>, valid until <Time at={state.invitation.expiresAt} />. It works once.
          </p>
        )}
        {offered && (
          <form method="post" action="/signup" novalidate>
            <Csrf token={props.csrf} />
            <input type="hidden" name="next" value={props.next} />
            {props.invitation && <input type="hidden" name="invitation" value={props.invitation} />}
            <Field label="Email" name="email" type="email" value={props.email} autocomplete="email" required />
            <Field label="Password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." required />
            <button type="submit" class="button">
              Sign up
            </button>
          </form>
        )}
        <p>
          Already have an account? <a href={login}>Log in</a>
        </p>
      </div>
    </Layout>
  );
}
