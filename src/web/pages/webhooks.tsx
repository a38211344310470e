import type { Delivery } from '../../webhooks/delivery-service.js';
import type { WebhookApp, WebhookOverview } from '../../webhooks/dashboard-service.js';
import { Checkboxes, CopyBox, Csrf, ErrorBox, Field, Notice, PageHeader, PostForm, Select, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export const SECRET_GRACE_CHOICES = [
  { value: '86400', label: 'Old secret also signs for 24 more hours' },
  { value: '3600', label: 'Old secret also signs for 1 more hour' },
  { value: '0', label: 'Old secret stops signing now' },
];

const RESOURCE_HINTS: Record<string, string> = {
  sale: 'a purchase',
  refund: 'a full or partial refund',
  dispute: 'a dispute or chargeback',
  dispute_won: 'a dispute the seller won',
  cancellation: 'a subscription cancelled',
  subscription_updated: 'a plan change',
  subscription_ended: 'a subscription ended',
  subscription_restarted: 'a subscription restarted',
  license_rotated: 'a license key replaced (Tessera)',
  license_disabled: 'a license disabled (Tessera)',
  license_enabled: 'a license enabled again (Tessera)',
};

/** Signing secrets to show once: the page that answers the POST's redirect. */
export type ShownSecrets = { resource_name: string; id: string; secret: string }[];

function Secrets(props: { shown: ShownSecrets | null | undefined }) {
  if (!props.shown || props.shown.length === 0) return null;
  return (
    <section class="card secret-card" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Signing secret{props.shown.length > 1 ? 's' : ''}: copy now</h2>
      <p>Shown this once. Verify each delivery's <code>webhook-signature</code> header with it (Standard Webhooks).</p>
      {props.shown.map((s) => (
        <CopyBox key={s.id} id={`secret-${s.id}`} label={`Secret of the ${s.resource_name} webhook`} value={s.secret} secret />
      ))}
    </section>
  );
}

export interface WebhooksPageProps {
  viewer: Viewer;
  webhooks: WebhookOverview[];
  apps: WebhookApp[];
  resources: readonly string[];
  shown?: ShownSecrets | null;
  notice?: string | null;
  error?: string | null;
  form?: { application_id: string; post_url: string; resources: string[] };
}

/** /webhooks: the seller's resource subscriptions, and a form to add one. */
export function WebhooksPage(props: WebhooksPageProps) {
  const form = props.form ?? { application_id: props.apps[0]?.id ?? '', post_url: '', resources: ['sale'] };
  return (
    <Layout title="Webhooks" viewer={props.viewer} active="webhooks">
      <PageHeader title="Webhooks">
        <p class="lead">Resource subscriptions: Tessera POSTs each event to your URL, signed, retried for 24 hours. See docs/webhooks.md.</p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      <Secrets shown={props.shown} />
      <section class="card" aria-labelledby="list-title">
        <h2 id="list-title">Your webhooks</h2>
        {props.webhooks.length === 0 ? (
          <p class="muted">No webhooks yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack" aria-label="Webhooks">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Post URL</th>
                  <th scope="col">Application</th>
                  <th scope="col">Last delivery</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {props.webhooks.map((w) => (
                  <tr key={w.id} data-webhook={w.id}>
                    <td data-label="Resource">
                      <code>{w.resource_name}</code>
                    </td>
                    <td data-label="Post URL" class="mono">
                      {w.post_url}
                    </td>
                    <td data-label="Application">
                      {w.application.name}
                      {!w.application.deliverable && <div class="hint">not delivering: no live token with view_sales</div>}
                    </td>
                    <td data-label="Last delivery">{w.last_state ? <>{w.last_state}, <Time at={w.last_at} /></> : <span class="muted">none yet</span>}</td>
                    <td data-label="Details">
                      <a href={`/webhooks/${encodeURIComponent(w.id)}`}>Deliveries</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a webhook</h2>
        {props.apps.length === 0 ? (
          <p class="muted">
            Webhooks belong to an application: <a href="/settings/advanced">create one</a> and generate its access token first.
          </p>
        ) : (
          <PostForm action="/webhooks" csrf={props.viewer.csrf} label="Add a webhook">
            <ErrorBox error={props.error} />
            <Select
              label="Application"
              name="application_id"
              value={form.application_id}
              options={props.apps.map((a) => ({ value: a.id, label: a.deliverable ? a.name : `${a.name} (no live token with view_sales)` }))}
            />
            <Field label="Post URL" name="post_url" type="url" value={form.post_url} required placeholder="https://example.com/hooks/tessera" />
            <Checkboxes legend="Resources" name="resources" checked={form.resources} options={props.resources.map((r) => ({ value: r, label: r, hint: RESOURCE_HINTS[r] }))} />
            <button type="submit" class="button button-primary">
              Add webhook
            </button>
          </PostForm>
        )}
      </section>
    </Layout>
  );
}

export interface WebhookPageProps {
  viewer: Viewer;
  webhook: { id: string; resource_name: string; post_url: string };
  deliveries: Delivery[];
  nextPage: string | null;
  shown?: ShownSecrets | null;
  notice?: string | null;
}

/** /webhooks/:id: one subscription's deliveries and their attempts, with redeliver, rotate and delete. */
export function WebhookPage(props: WebhookPageProps) {
  const base = `/webhooks/${encodeURIComponent(props.webhook.id)}`;
  return (
    <Layout title={`Webhook ${props.webhook.resource_name}`} viewer={props.viewer} active="webhooks">
      <PageHeader title={`Webhook: ${props.webhook.resource_name}`} back={{ href: '/webhooks', label: 'Webhooks' }}>
        <p class="lead mono">{props.webhook.post_url}</p>
      </PageHeader>
      {props.notice && <Notice>{props.notice}</Notice>}
      <Secrets shown={props.shown} />
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        {props.deliveries.length === 0 ? (
          <p class="muted">Nothing delivered yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack" aria-label="Deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {props.deliveries.map((d) => (
                  <tr key={d.id} data-delivery={d.id}>
                    <td data-label="Event">
                      <code>{d.resource_name}</code>
                      <div class="hint">
                        <Time at={d.created_at} /> · <code>{d.webhook_id}</code>
                      </div>
                    </td>
                    <td data-label="State">
                      {d.state}
                      {d.next_attempt_at && (
                        <div class="hint">
                          next attempt <Time at={d.next_attempt_at} />
                        </div>
                      )}
                    </td>
                    <td data-label="Attempts">
                      {d.attempts.length === 0 ? (
                        <span class="muted">{d.last_error ?? 'none yet'}</span>
                      ) : (
                        <ol class="attempts">
                          {d.attempts.map((a, i) => (
                            <li key={i}>
                              <Time at={a.attempted_at} />: {a.status_code === null ? 'no answer' : `HTTP ${a.status_code}`} in {a.duration_ms} ms
                              {a.error && <span class="hint"> — {a.error}</span>}
                            </li>
                          ))}
                        </ol>
                      )}
                    </td>
                    <td data-label="Actions">
                      <PostForm action={`${base}/deliveries/${encodeURIComponent(d.id)}/redeliver`} csrf={props.viewer.csrf} label={`Redeliver ${d.id}`}>
                        <button type="submit" class="button button-secondary button-small">
                          Redeliver
                        </button>
                      </PostForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.nextPage && (
          <p>
            <a href={`${base}?page_key=${encodeURIComponent(props.nextPage)}`}>Older deliveries →</a>
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="manage-title">
        <h2 id="manage-title">Manage</h2>
        <p class="actions">
          <a class="button button-secondary" href={`${base}/rotate`}>
            Rotate signing secret…
          </a>
          <a class="button button-danger" href={`${base}/delete`}>
            Delete webhook…
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** The question a destructive action asks first (delete, rotate): a page of its own, so it works without script. */
export function WebhookConfirmPage(props: { viewer: Viewer; webhook: { id: string; resource_name: string; post_url: string }; action: 'delete' | 'rotate' }) {
  const base = `/webhooks/${encodeURIComponent(props.webhook.id)}`;
  const rotate = props.action === 'rotate';
  return (
    <Layout title={rotate ? 'Rotate signing secret' : 'Delete webhook'} viewer={props.viewer} active="webhooks">
      <PageHeader title={rotate ? 'Rotate the signing secret?' : 'Delete this webhook?'} back={{ href: base, label: 'Back to the webhook' }}>
        <p class="lead">
          <code>{props.webhook.resource_name}</code> → <span class="mono">{props.webhook.post_url}</span>
        </p>
      </PageHeader>
      <section class="card">
        {rotate ? (
          <form method="post" action={`${base}/rotate`} aria-label="Rotate the signing secret" data-confirm="Rotate the signing secret?">
            <Csrf token={props.viewer.csrf} />
            <p>A new secret signs every delivery from now on. Your receiver must learn it before the old one stops.</p>
            <Select label="Old secret" name="grace_period" options={SECRET_GRACE_CHOICES} value="86400" />
            <button type="submit" class="button button-primary">
              Rotate secret
            </button>
          </form>
        ) : (
          <form method="post" action={`${base}/delete`} aria-label="Delete the webhook" data-confirm="Delete this webhook?">
            <Csrf token={props.viewer.csrf} />
            <p>No more deliveries go to this URL; waiting ones are not sent.</p>
            <button type="submit" class="button button-danger">
              Delete webhook
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}
