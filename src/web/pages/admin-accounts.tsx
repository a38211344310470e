import type { SecondFactorPolicy } from '../../admin/instance-settings.js';
import type { Invitation } from '../../admin/invitations.js';
import type { AccountPage } from '../../admin/service.js';
import type { SignUpPolicy } from '../../admin/settings.js';
import { CopyBox, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { requireSecondFactorConsequence } from '../services/consequences.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

/** The link of a new invitation, shown once after the redirect. */
export interface SentInvitationFlash {
  email: string;
  link: string;
  mailed: boolean;
  mail_problem: string | null;
}

export interface AdminAccountsPageProps {
  viewer: Viewer;
  list: AccountPage;
  invitations: Invitation[];
  policy: SignUpPolicy;
  secondFactor: SecondFactorPolicy;
  sent?: SentInvitationFlash | null;
  alreadyShown?: boolean;
  notice?: string | null;
  error?: string | null;
  inviteEmail?: string;
}

const POLICY_WORDS: Record<SignUpPolicy, string> = {
  invite: 'invite: only people you invite can sign up.',
  open: 'open: anyone who reaches this server can sign up.',
  closed: 'closed: nobody can sign up; create accounts with tessera user create.',
};

function pageHref(search: string, page: number): string {
  const query = new URLSearchParams();
  if (search) query.set('search', search);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return `/admin${text ? `?${text}` : ''}`;
}

/** /admin: the instance owner's list of accounts, invitations and the sign-up policy. */
export function AdminAccountsPage(props: AdminAccountsPageProps) {
  const { list } = props;
  return (
    <Layout title="Admin" viewer={props.viewer} active="admin">
      <PageHeader title="Admin">
        <p class="lead">
          Accounts on this server. Sign-up policy (<code>TESSERA_SIGNUP</code>): {POLICY_WORDS[props.policy]}
        </p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      {props.alreadyShown && <Notice kind="info">Already shown: an invitation link is shown only once. Invite again for a new one.</Notice>}
      {props.sent && (
        <section class="card secret-card" aria-labelledby="sent-title">
          <h2 id="sent-title">Invitation for {props.sent.email}</h2>
          <p>
            {props.sent.mailed ? 'Emailed to them. ' : `${props.sent.mail_problem ?? 'Not emailed.'} `}
            The link is shown this once and works once.
          </p>
          <CopyBox id="invitation-link" label="Invitation link" value={props.sent.link} secret />
        </section>
      )}
      <SecondFactorCard policy={props.secondFactor} viewer={props.viewer} />
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <PostForm action="/admin/invitations" csrf={props.viewer.csrf} label="Invite someone">
          <ErrorBox error={props.error} />
          <Field label="Email to invite" name="email" type="email" value={props.inviteEmail} required autocomplete="off" />
          <button type="submit" class="button button-primary">
            Send invitation
          </button>
        </PostForm>
        {props.invitations.length > 0 && (
          <DataTable label="Invitations" columns={['Email', 'Status', 'Sent', 'Expires', 'Actions']}>
            {props.invitations.map((i) => (
              <tr key={i.id} data-invitation={i.id}>
                <td data-label="Email">{i.email}</td>
                <td data-label="Status">{i.status}</td>
                <td data-label="Sent">
                  <Time at={i.created_at} />
                </td>
                <td data-label="Expires">
                  <Time at={i.expires_at} />
                </td>
                <td data-label="Actions">
                  {i.status === 'pending' && (
                    <DangerForm
                      action={`/admin/invitations/${encodeURIComponent(i.id)}/cancel`}
                      csrf={props.viewer.csrf}
                      label={`Cancel the invitation of ${i.email}`}
                      button="Cancel"
                      consequence={`The invitation link sent to ${i.email} stops working at once.`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section class="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts ({list.total})</h2>
        <form method="get" action="/admin" role="search" aria-label="Search accounts" class="inline-form">
          <Field label="Search by email" name="search" type="search" value={list.search} />
          <button type="submit" class="button">
            Search
          </button>
        </form>
        {list.accounts.length === 0 ? (
          <p class="muted">No account matches.</p>
        ) : (
          <DataTable label="Accounts" columns={['Email', 'Status', 'Created', 'Last login', 'Apps', 'API keys', 'Flows']}>
            {list.accounts.map((a) => (
              <tr key={a.id} data-account={a.id}>
                <td data-label="Email">
                  <a href={`/admin/accounts/${encodeURIComponent(a.id)}`}>{a.email}</a>
                </td>
                <td data-label="Status">{a.owner ? 'owner' : a.disabled ? (a.licenses_stopped ? 'disabled, licenses stopped' : 'disabled') : 'active'}</td>
                <td data-label="Created">
                  <Time at={a.created_at} />
                </td>
                <td data-label="Last login">
                  <Time at={a.last_login_at} />
                </td>
                <td data-label="Apps">{a.counts.applications}</td>
                <td data-label="API keys">{a.counts.api_keys}</td>
                <td data-label="Flows">{a.counts.flows}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {list.pages > 1 && (
          <nav aria-label="Pages of accounts" class="pager">
            {list.page > 1 && <a href={pageHref(list.search, list.page - 1)}>← Newer</a>} Page {list.page} of {list.pages}{' '}
            {list.page < list.pages && <a href={pageHref(list.search, list.page + 1)}>Older →</a>}
          </nav>
        )}
      </section>
    </Layout>
  );
}

/** Whether every account must have a second factor: the owner's setting, or TESSERA_REQUIRE_2FA=1 that it cannot lower. */
function SecondFactorCard(props: { policy: SecondFactorPolicy; viewer: Viewer }) {
  const { policy } = props;
  const without = `${policy.accountsWithout} enabled ${policy.accountsWithout === 1 ? 'account has' : 'accounts have'} no second factor yet.`;
  return (
    <section class="card" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">Second factor</h2>
      {policy.byEnvironment ? (
        <p id="second-factor-policy">
          Required for every account: <code>TESSERA_REQUIRE_2FA=1</code> is set on this server, so this page cannot turn it off
          {policy.bySetting ? ' (the setting here is on too).' : '.'} {without}
        </p>
      ) : policy.bySetting ? (
        <p id="second-factor-policy">
          Required for every account (this setting): an account without one can use only its Security page until it sets one up. {without}
        </p>
      ) : (
        <p id="second-factor-policy">Optional: each account chooses whether to set one up. {without}</p>
      )}
      {!policy.byEnvironment &&
        (policy.bySetting ? (
          <PostForm action="/admin/settings/second-factor" csrf={props.viewer.csrf} label="Stop requiring a second factor">
            <input type="hidden" name="require_second_factor" value="no" />
            <button type="submit" class="button">
              Stop requiring a second factor
            </button>
          </PostForm>
        ) : (
          <DangerForm
            action="/admin/settings/second-factor"
            csrf={props.viewer.csrf}
            label="Require a second factor for every account"
            button="Require a second factor for every account"
            buttonClass="button"
            hidden={{ require_second_factor: 'yes' }}
            consequence={requireSecondFactorConsequence(policy.accountsWithout, props.viewer.user.secondFactorSince !== null)}
          />
        ))}
    </section>
  );
}
