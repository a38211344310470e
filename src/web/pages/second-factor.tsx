import { Csrf, ErrorBox, Field } from '../components.js';
import { Layout } from '../layout.js';
import { PasskeyScripts } from './passkey-scripts.js';

export interface SecondFactorFormProps {
  action: string;
  csrf: string;
  /** Where the passkey button fetches its WebAuthn options; absent without passkeys. */
  passkeyOptions?: string | null;
  totp: boolean;
  hidden?: Record<string, string>;
  error?: string | null;
  submit: string;
}

/** The second-factor question, for sign-in and step-up alike: a code field, and a passkey button when there is one. */
export function SecondFactorForm(props: SecondFactorFormProps) {
  const hint = props.totp ? 'The 6-digit code your authenticator app shows now, or one of your recovery codes.' : 'One of your recovery codes.';
  return (
    <>
      <ErrorBox error={props.error} />
      {props.passkeyOptions && (
        <form method="post" action={props.action} aria-label="Use a passkey" data-passkey-form="authenticate" data-options-url={props.passkeyOptions}>
          <Csrf token={props.csrf} />
          {Object.entries(props.hidden ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} key={name} />
          ))}
          <input type="hidden" name="passkey_response" value="" />
          <p class="alert alert-error" role="alert" data-passkey-error hidden></p>
          <button type="submit" class="button" data-passkey-button>
            Use a passkey
          </button>
          <noscript>
            <p class="hint">Passkeys need JavaScript; enter a code below instead.</p>
          </noscript>
        </form>
      )}
      <form method="post" action={props.action} aria-label="Enter a code" novalidate>
        <Csrf token={props.csrf} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        <Field label={props.totp ? 'Authentication code' : 'Recovery code'} name="code" autocomplete="one-time-code" inputmode={props.totp ? 'numeric' : 'text'} hint={hint} required />
        <button type="submit" class="button">
          {props.submit}
        </button>
      </form>
      {props.passkeyOptions && <PasskeyScripts />}
    </>
  );
}

export interface SecondFactorPageProps {
  csrf: string;
  email: string;
  totp: boolean;
  passkeys: number;
  error?: string | null;
}

export function SecondFactorPage(props: SecondFactorPageProps) {
  return (
    <Layout title="Two-factor authentication">
      <div class="panel panel-narrow">
        <h1>Confirm it is you</h1>
        <p>
          Your password for <strong>{props.email}</strong> was right. Now confirm with your second factor.
        </p>
        <SecondFactorForm
          action="/login/second-factor"
          csrf={props.csrf}
          passkeyOptions={props.passkeys > 0 ? '/login/passkey-options' : null}
          totp={props.totp}
          error={props.error}
          submit="Sign in"
        />
        <p class="hint">Lost your device? Use one of the recovery codes you saved when you set up the second factor.</p>
        <p>
          <a href="/login">Start over</a>
        </p>
      </div>
    </Layout>
  );
}
