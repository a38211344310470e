import { PageHeader } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { SecondFactorForm } from './second-factor.js';

/** "Confirm it is you": a fresh second factor before a sensitive action. */
export function StepUpPage(props: { viewer: Viewer; next: string; totp: boolean; passkeys: number; error?: string | null }) {
  return (
    <Layout title="Confirm it is you" viewer={props.viewer} active="security">
      <PageHeader title="Confirm it is you" back={{ href: props.next, label: 'Back' }} />
      <div class="panel panel-narrow">
        <p>This action is sensitive: confirm with your second factor first. It then stays confirmed for a few minutes.</p>
        <SecondFactorForm
          action="/settings/security/confirm"
          csrf={props.viewer.csrf}
          passkeyOptions={props.passkeys > 0 ? '/settings/security/confirm/passkey-options' : null}
          totp={props.totp}
          hidden={{ next: props.next }}
          error={props.error}
          submit="Confirm"
        />
      </div>
    </Layout>
  );
}
