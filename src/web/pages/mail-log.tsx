import type { MailLogEntry } from '../../accounts/mail-log.js';
import { PageHeader, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

const STATUS: Record<string, { label: string; class: string }> = {
  logged: { label: 'not sent (no SMTP)', class: 'badge badge-warn' },
  sending: { label: 'sending', class: 'badge' },
  sent: { label: 'sent', class: 'badge badge-ok' },
  failed: { label: 'failed', class: 'badge badge-bad' },
};

/** The instance owner's view of every account email; links that are secrets read as [sealed]. */
export function MailLogPage(props: { viewer: Viewer; entries: MailLogEntry[]; smtpConfigured: boolean }) {
  return (
    <Layout title="Mail log" viewer={props.viewer} active="security">
      <PageHeader title="Mail log" back={{ href: '/settings/security', label: 'Security' }}>
        <p class="muted">
          {props.smtpConfigured
            ? 'Every account email this server sent or tried to send.'
            : 'SMTP_URL is not set, so this server sends no email: every account email it would have sent is here instead. Secrets in them (reset and confirmation links) are sealed and never shown; set a password for someone with tessera user password EMAIL.'}
        </p>
      </PageHeader>
      <div class="panel">
        {props.entries.length === 0 ? (
          <p>No email yet.</p>
        ) : (
          props.entries.map((m) => (
            <article key={m.id} class="mail-entry" aria-label={`${m.subject} to ${m.to}`}>
              <h2 class="mail-subject">{m.subject}</h2>
              <p>
                To <strong>{m.to}</strong> · <Time at={m.createdAt} /> · <span class={(STATUS[m.status] ?? STATUS.logged!).class}>{(STATUS[m.status] ?? STATUS.logged!).label}</span>
                {m.lastError && <span class="hint"> — {m.lastError}</span>}
              </p>
              <pre class="mail-body">{m.body}</pre>
            </article>
          ))
        )}
      </div>
    </Layout>
  );
}
