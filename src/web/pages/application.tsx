import type { Application } from '../../applications/service.js';
import { ALL_SCOPES, PUBLIC_SCOPES, SCOPE_DESCRIPTIONS } from '../../auth/scopes.js';
import type { AuthorizedToken, IssuedToken } from '../../tokens/service.js';
import { Checkboxes, CodeBlock, CopyBox, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Select, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import { deleteConsequence, secretConsequence, tokenConsequence } from '../services/consequences.js';
import type { Viewer } from '../page-auth.js';
import { AppIcon } from './settings-advanced.js';

export const TOKEN_EXPIRY_CHOICES = [
  { value: '', label: 'Never expires' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '2592000', label: '30 days' },
  { value: '7776000', label: '90 days' },
  { value: '31536000', label: '1 year' },
];

export interface ApplicationPageProps {
  viewer: Viewer;
  application: Application;
  /** Base URL of this server, for the ready curl line. */
  origin: string;
  liveTokens: AuthorizedToken[];
  /** Every live token of the application (OAuth users' too): what deleting it revokes. */
  liveTokenCount?: number;
  /** The page was reloaded after a secret was shown: it is not shown again. */
  alreadyShown?: boolean;
  editValues?: Record<string, string>;
  /** Shown once, right after creation or regeneration. */
  clientSecret?: string;
  created?: boolean;
  /** Shown once, right after "Generate access token". */
  issued?: IssuedToken;
  saved?: boolean;
  tokenError?: string;
  editError?: string;
}

const scopeOptions = ALL_SCOPES.map((s) => ({ value: s, label: s, hint: SCOPE_DESCRIPTIONS[s] }));

export function curlLine(origin: string, token: string): string {
  return `curl -sS "${origin}/v2/products" -H "Authorization: Bearer ${token}"`;
}

function ClientSecret(props: { viewer: Viewer; application: Application; secret?: string }) {
  const action = `/settings/advanced/applications/${encodeURIComponent(props.application.id)}/secret`;
  return (
    <>
      {props.secret ? (
        <>
          <CopyBox id="client-secret" label="Client secret" value={props.secret} secret />
          <p class="alert alert-warning">Copy the client secret now: it is shown only this once. Only a hash of it is stored.</p>
        </>
      ) : (
        <p>
          <strong>Client secret:</strong> <span class="muted">hidden; it was shown once when it was created.</span>
        </p>
      )}
      <DangerForm
        action={action}
        csrf={props.viewer.csrf}
        label="Regenerate client secret"
        button="Regenerate client secret"
        buttonClass="button button-secondary button-small"
        consequence={secretConsequence(props.application.name)}
      />
    </>
  );
}

function GenerateToken(props: ApplicationPageProps) {
  const { application, issued, origin } = props;
  const current = props.liveTokens.find((t) => t.kind === 'owner');
  const base = `/settings/advanced/applications/${encodeURIComponent(application.id)}`;
  return (
    <section class="panel" aria-labelledby="token-heading">
      <h2 id="token-heading">Access token</h2>
      {issued && (
        <div class="token-issued">
          <CopyBox id="access-token" label="Your access token" value={issued.accessToken} secret />
          <p class="alert alert-warning">
            Copy it now: it is shown only this once. Generating a new token invalidates this one.
            {issued.expiresAt !== null && (
              <>
                {' '}
                It expires <Time at={issued.expiresAt} />.
              </>
            )}
          </p>
          <h3>Test it</h3>
          <CodeBlock id="curl-line" label="curl command testing the token" code={curlLine(origin, issued.accessToken)} />
        </div>
      )}
      {!issued && (
        <>
          <p>Generate a token for your own account, to paste into a tool or a script.</p>
          <CodeBlock id="curl-line" label="curl command testing a token" code={curlLine(origin, 'YOUR_ACCESS_TOKEN')} />
        </>
      )}
      <ErrorBox error={props.tokenError} />
      <PostForm action={`${base}/token`} csrf={props.viewer.csrf} label="Generate access token">
        <Checkboxes legend="Scopes" name="scopes" options={scopeOptions} checked={issued?.scopes ?? PUBLIC_SCOPES} />
        <Select label="Expiry" name="expires_in" options={TOKEN_EXPIRY_CHOICES} value="" />
        <p class="hint" id="regen-warning">
          Generating a token invalidates the previous token of this application at once.
        </p>
        <button type="submit" class="button" aria-describedby="regen-warning" data-confirm={current && !issued ? tokenConsequence(current.hint) : issued ? tokenConsequence('the one shown above') : undefined}>
          Generate access token
        </button>
      </PostForm>
      {props.liveTokens.length > 0 && (
        <>
          <h3>Live tokens</h3>
          <DataTable columns={['Token', 'Kind', 'Created', 'Expires', 'Last used']}>
            {props.liveTokens.map((t) => (
              <tr key={t.id}>
                <td data-label="Token">
                  <code>{t.hint}</code>
                </td>
                <td data-label="Kind">{t.kind}</td>
                <td data-label="Created">
                  <Time at={t.created_at} />
                </td>
                <td data-label="Expires">
                  <Time at={t.expires_at} never="never" />
                </td>
                <td data-label="Last used">
                  <Time at={t.last_used_at} never="not yet" />
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

const LIFETIME_CHOICES = [{ value: '', label: 'Never expire' }, ...TOKEN_EXPIRY_CHOICES.slice(1)];

function EditApplication(props: ApplicationPageProps) {
  const { application } = props;
  const base = `/settings/advanced/applications/${encodeURIComponent(application.id)}`;
  return (
    <section class="panel" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit application</h2>
      <ErrorBox error={props.editError} />
      <PostForm action={base} csrf={props.viewer.csrf} multipart label="Edit application">
        <Field label="Name" name="name" id="edit-name" value={props.editValues?.name ?? application.name} required />
        <Field label="Redirect URI" name="redirect_uri" id="edit-redirect" type="text" value={props.editValues?.redirect_uri ?? application.redirect_uri} hint="One or more absolute URLs separated by spaces." required />
        <Field label="New icon" name="icon" id="edit-icon" type="file" accept="image/png,image/jpeg" hint="PNG or JPEG, at most 256 KiB." />
        {application.icon_url && (
          <div class="checkbox field">
            <input type="checkbox" id="remove-icon" name="remove_icon" value="1" />
            <label for="remove-icon">Remove the current icon</label>
          </div>
        )}
        <Checkboxes legend="Scopes third-party users may grant this application" name="scopes" options={scopeOptions} checked={application.scopes} />
        <Select
          label="Lifetime of OAuth access tokens"
          name="access_token_lifetime"
          id="edit-lifetime"
          options={LIFETIME_CHOICES}
          value={application.access_token_lifetime === null ? '' : String(application.access_token_lifetime)}
        />
        <button type="submit" class="button">
          Save changes
        </button>
      </PostForm>
    </section>
  );
}

/** One application: credentials, "Generate access token", edit and delete. */
export function ApplicationPage(props: ApplicationPageProps) {
  const { viewer, application } = props;
  const base = `/settings/advanced/applications/${encodeURIComponent(application.id)}`;
  return (
    <Layout title={application.name} viewer={viewer} active="applications">
      <PageHeader title={application.name} back={{ href: '/settings/advanced', label: 'Applications' }} />
      {props.created && <Notice>Application created.</Notice>}
      {props.saved && <Notice>Changes saved.</Notice>}
      {props.alreadyShown && (
        <Notice kind="info">
          Already shown: the secret on this page was shown once and is not shown again. Regenerate it if you did not copy it.
        </Notice>
      )}
      <section class="panel" aria-labelledby="credentials-heading">
        <h2 id="credentials-heading">
          <AppIcon application={application} /> Credentials
        </h2>
        <dl class="facts">
          <dt>Redirect URI</dt>
          <dd>
            <code>{application.redirect_uri}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            <Time at={application.created_at} />
          </dd>
        </dl>
        <CopyBox id="client-id" label="Client ID" value={application.client_id} />
        <ClientSecret viewer={viewer} application={application} secret={props.clientSecret} />
      </section>
      <GenerateToken {...props} />
      <EditApplication {...props} />
      <section class="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete application</h2>
        <p>Deleting the application revokes every access token it holds.</p>
        <DangerForm
          action={`${base}/delete`}
          csrf={viewer.csrf}
          label="Delete application"
          button="Delete application…"
          buttonClass="button button-danger"
          consequence={deleteConsequence(props.liveTokenCount ?? props.liveTokens.length)}
        />
      </section>
    </Layout>
  );
}
