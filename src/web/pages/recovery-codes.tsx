import { CodeBlock, Notice, PageHeader } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

/** Ten recovery codes, shown once (a one-time flash): a reload says "already shown". */
export function RecoveryCodesPage(props: { viewer: Viewer; codes: string[] | null; notice?: string | null; alreadyShown: boolean }) {
  return (
    <Layout title="Recovery codes" viewer={props.viewer} active="security">
      <PageHeader title="Recovery codes" back={{ href: '/settings/security', label: 'Security' }} />
      <div class="panel panel-narrow">
        {props.notice && <Notice>{props.notice}</Notice>}
        {props.codes ? (
          <>
            <p class="alert alert-warning">
              Save these codes now, somewhere other than your device (a password manager, or on paper). Each works once in place of your second factor. They are not shown again.
            </p>
            <CodeBlock id="recovery-codes" code={props.codes.join('\n')} label="Recovery codes" />
          </>
        ) : (
          <p>{props.alreadyShown ? 'Already shown: recovery codes are shown only once. Make new ones from Security if you lost them.' : 'Nothing to show.'}</p>
        )}
        <p>
          <a href="/settings/security" class="button">
            Done
          </a>
        </p>
      </div>
    </Layout>
  );
}
