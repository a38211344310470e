import type { Passkey } from '../../accounts/passkeys.js';
import { Csrf, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { PasskeyScripts } from './passkey-scripts.js';

export interface SecurityPageProps {
  viewer: Viewer;
  /** The instance requires a second factor and the account has none yet. */
  setupRequired: boolean;
  notice?: string | null;
  /** A failed form: which one, and why. */
  error?: { form: string; error: string } | null;
  totp: { enabled: boolean; pending: boolean };
  passkeys: Passkey[];
  recoveryCodesLeft: number;
  email: { address: string; verified: boolean; canVerify: boolean };
  /** The instance owner: the mail log is theirs. */
  showMailLog: boolean;
}

const errorOf = (props: SecurityPageProps, form: string) => (props.error?.form === form ? props.error.error : null);

export function SecurityPage(props: SecurityPageProps) {
  const { viewer } = props;
  const hasFactor = props.totp.enabled || props.passkeys.length > 0;
  return (
    <Layout title="Security" viewer={viewer} active="security">
      <PageHeader title="Security">
        <p class="muted">
          Your password, second factors and <a href="/settings/sessions">signed-in sessions</a>.
          {props.showMailLog && (
            <>
              {' '}
              As the owner of this server you can also read its <a href="/settings/mail-log">mail log</a>.
            </>
          )}
        </p>
      </PageHeader>
      {props.setupRequired && (
        <p class="alert alert-warning" role="alert">
          The owner of this server requires a second factor for every account. Set up an authenticator app or a passkey below to use the dashboard.
        </p>
      )}
      {props.notice && <Notice>{props.notice}</Notice>}

      <section class="panel" aria-labelledby="h-2fa">
        <h2 id="h-2fa">Two-factor authentication</h2>
        <p>{hasFactor ? 'Signing in asks for your password and then one of your second factors.' : 'Signing in asks for your password only. Add a second factor so a stolen password is not enough.'}</p>

        <h3>Authenticator app</h3>
        <ErrorBox error={errorOf(props, 'totp')} />
        {props.totp.enabled ? (
          <div class="actions">
            <span class="badge badge-ok">on</span>
            <DangerForm
              action="/settings/security/totp/remove"
              csrf={viewer.csrf}
              label="Remove the authenticator app"
              button="Remove"
              buttonClass="button button-secondary button-small"
              consequence="Codes from your authenticator app will stop working for this account."
            />
          </div>
        ) : props.totp.pending ? (
          <p>
            A set-up is waiting for its first code: <a href="/settings/security/totp">finish setting up the authenticator app</a>.
          </p>
        ) : (
          <PostForm action="/settings/security/totp" csrf={viewer.csrf} label="Set up an authenticator app">
            <p class="hint">Any TOTP app works: 1Password, Bitwarden, Google Authenticator, Aegis, …</p>
            <button type="submit" class="button">
              Set up an authenticator app
            </button>
          </PostForm>
        )}

        <h3>Passkeys</h3>
        <ErrorBox error={errorOf(props, 'passkey')} />
        {props.passkeys.length > 0 && (
          <DataTable label="Passkeys" stack={false} columns={['Name', 'Added', 'Last used', 'Actions']}>
            {props.passkeys.map((p) => (
              <tr key={p.id}>
                <td data-label="Name">{p.name}</td>
                <td data-label="Added">
                  <Time at={p.createdAt} />
                </td>
                <td data-label="Last used">
                  <Time at={p.lastUsedAt} />
                </td>
                <td data-label="Actions">
                  <DangerForm
                    action={`/settings/security/passkeys/${encodeURIComponent(p.id)}/remove`}
                    csrf={viewer.csrf}
                    label={`Remove passkey ${p.name}`}
                    button="Remove"
                    buttonClass="button button-secondary button-small"
                    consequence={`The passkey “${p.name}” will stop working for this account.`}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <form method="post" action="/settings/security/passkeys" aria-label="Add a passkey" data-passkey-form="register" data-options-url="/settings/security/passkeys/options">
          <Csrf token={viewer.csrf} />
          <input type="hidden" name="passkey_response" value="" />
          <Field label="Passkey name" name="name" hint="So you can tell your passkeys apart, such as “Laptop” or “Security key”." />
          <p class="alert alert-error" role="alert" data-passkey-error hidden></p>
          <button type="submit" class="button" data-passkey-button>
            Add a passkey
          </button>
          <noscript>
            <p class="hint">Adding a passkey needs JavaScript.</p>
          </noscript>
        </form>
        <PasskeyScripts />

        {hasFactor && (
          <>
            <h3>Recovery codes</h3>
            <p>
              {props.recoveryCodesLeft} of 10 unused. Each works once, in place of a second factor, if you lose your device.
            </p>
            <DangerForm
              action="/settings/security/recovery-codes/regenerate"
              csrf={viewer.csrf}
              label="Make new recovery codes"
              button="Make new recovery codes"
              buttonClass="button button-secondary button-small"
              consequence="Your current recovery codes will stop working; ten new ones are shown once."
            />
          </>
        )}
      </section>

      <section class="panel" aria-labelledby="h-password">
        <h2 id="h-password">Password</h2>
        <ErrorBox error={errorOf(props, 'password')} />
        <PostForm action="/settings/security/password" csrf={viewer.csrf} label="Change password">
          <Field label="Current password" name="current_password" type="password" autocomplete="current-password" required />
          <Field
            label="New password"
            name="new_password"
            type="password"
            autocomplete="new-password"
            hint="At least 8 characters, and not one of the most common passwords. Your other sessions will be signed out."
            required
          />
          <button type="submit" class="button">
            Change password
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="h-email">
        <h2 id="h-email">Email address</h2>
        <p>
          <strong>{props.email.address}</strong>{' '}
          {props.email.verified ? <span class="badge badge-ok">confirmed</span> : props.email.canVerify ? <span class="badge badge-warn">not confirmed</span> : null}
        </p>
        {!props.email.verified && props.email.canVerify && (
          <PostForm action="/settings/security/verify-email" csrf={viewer.csrf} label="Send a confirmation link">
            <button type="submit" class="button button-secondary button-small">
              Send me a confirmation link
            </button>
          </PostForm>
        )}
      </section>
    </Layout>
  );
}
