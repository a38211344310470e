import type { AccountCapabilities } from '../../admin/capabilities.js';
import { CAPABILITY_LABELS, LIMITS, SWITCHES, type Capabilities } from '../../admin/settings.js';
import { ErrorBox, Notice, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export interface AdminAccountView {
  id: string;
  user_id: string;
  email: string;
  owner: boolean;
  disabled: boolean;
  disabled_at: string | null;
  licenses_stopped: boolean;
  created_at: string;
  capabilities: Pick<AccountCapabilities, 'effective' | 'overrides' | 'defaults' | 'owner'>;
}

export interface AdminAccountPageProps {
  viewer: Viewer;
  account: AdminAccountView;
  disableConsequence: string;
  deleteConsequence: string;
  notice?: string | null;
  error?: string | null;
}

const shown = (value: boolean | number | null) => (value === true ? 'yes' : value === false ? 'no' : value === null ? 'unlimited' : String(value));

function CapabilityForm(props: { account: AdminAccountView; csrf: string; error?: string | null }) {
  const { defaults, overrides } = props.account.capabilities;
  const override = (name: keyof Capabilities) => (Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : undefined);
  return (
    <PostForm action={`/admin/accounts/${encodeURIComponent(props.account.id)}/capabilities`} csrf={props.csrf} label="Capabilities">
      <ErrorBox error={props.error} />
      {SWITCHES.map((name) => {
        const value = override(name);
        const current = value === undefined ? 'default' : value ? 'yes' : 'no';
        return (
          <div class="field" key={name}>
            <label for={`cap-${name}`}>May {CAPABILITY_LABELS[name]}</label>
            <select id={`cap-${name}`} name={name}>
              <option value="default" selected={current === 'default'}>
                Default ({shown(defaults[name])})
              </option>
              <option value="yes" selected={current === 'yes'}>
                Yes
              </option>
              <option value="no" selected={current === 'no'}>
                No
              </option>
            </select>
          </div>
        );
      })}
      {LIMITS.map((name) => {
        const value = override(name);
        return (
          <div class="field" key={name}>
            <label for={`cap-${name}`}>Limit: {CAPABILITY_LABELS[name]}</label>
            <input
              id={`cap-${name}`}
              name={name}
              type="text"
              inputMode="numeric"
              value={value === undefined ? '' : shown(value as number | null)}
              placeholder={`default (${shown(defaults[name])})`}
              aria-describedby={`cap-${name}-hint`}
            />
            <p class="hint" id={`cap-${name}-hint`}>
              A whole number, <code>unlimited</code>, or empty for the default.
            </p>
          </div>
        );
      })}
      <button type="submit" class="button button-primary">
        Save capabilities
      </button>
    </PostForm>
  );
}

/** /admin/accounts/:id: one account's status, capabilities, disable / enable and delete. */
export function AdminAccountPage(props: AdminAccountPageProps) {
  const { account } = props;
  const base = `/admin/accounts/${encodeURIComponent(account.id)}`;
  return (
    <Layout title={account.email} viewer={props.viewer} active="admin">
      <PageHeader title={account.email} back={{ href: '/admin', label: 'Admin' }}>
        <p class="lead">
          {account.owner ? 'Instance owner' : account.disabled ? 'Disabled' : 'Active'} · created <Time at={account.created_at} /> · user_id <code>{account.user_id}</code>
        </p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      {account.disabled && (
        <Notice kind="warning">
          Disabled since <Time at={account.disabled_at} />: its sessions, access tokens and API keys are refused.{' '}
          {account.licenses_stopped ? 'Its licenses are refused too.' : 'Its licenses still verify for its buyers.'}
        </Notice>
      )}
      <section class="card" aria-labelledby="caps-title">
        <h2 id="caps-title">Capabilities</h2>
        {account.owner ? (
          <p>An instance owner may do everything; these settings apply once its ownership is revoked.</p>
        ) : (
          <p>What this account may do. Defaults come from the <code>TESSERA_CAP_*</code> settings.</p>
        )}
        <CapabilityForm account={account} csrf={props.viewer.csrf} error={props.error} />
      </section>
      {!account.owner && (
        <section class="card" aria-labelledby="access-title">
          <h2 id="access-title">Access</h2>
          {account.disabled ? (
            <PostForm action={`${base}/enable`} csrf={props.viewer.csrf} label="Enable the account">
              <p>Enabling restores its sessions, tokens and API keys{account.licenses_stopped ? ', and its licenses' : ''}.</p>
              <button type="submit" class="button button-primary">
                Enable account
              </button>
            </PostForm>
          ) : (
            <DangerForm action={`${base}/disable`} csrf={props.viewer.csrf} label="Disable the account" button="Disable account" buttonClass="button button-danger" consequence={props.disableConsequence}>
              <div class="checkbox">
                <input type="checkbox" id="f-stop_licenses" name="stop_licenses" value="yes" />
                <label for="f-stop_licenses">Also stop its licenses (its buyers' license checks are refused)</label>
              </div>
            </DangerForm>
          )}
          <h3>Delete</h3>
          <DangerForm action={`${base}/delete`} csrf={props.viewer.csrf} label="Delete the account" button="Delete account" buttonClass="button button-danger" consequence={props.deleteConsequence} />
        </section>
      )}
    </Layout>
  );
}
