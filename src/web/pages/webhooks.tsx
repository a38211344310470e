import type { Delivery } from '../../webhooks/delivery-service.js';
import type { WebhookApp, WebhookOverview } from '../../webhooks/dashboard-service.js';
import { Checkboxes, CopyBox, DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Select, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { deleteWebhookConsequence, rotateWebhookSecretConsequence } from '../services/consequences.js';

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

function Secrets(props: { shown: ShownSecrets | null | undefined; alreadyShown?: boolean }) {
  if (props.alreadyShown) {
    return (
      <Notice kind="info">
        Already shown: a signing secret is shown only once and is not shown again. Rotate the secret if you did not copy it.
      </Notice>
    );
  }
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
  /** A reload of the page that showed secrets once. */
  alreadyShown?: boolean;
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
      {props.shown && props.shown.length > 0 && <Notice>Webhook added: Tessera POSTs each event to your URL from now on.</Notice>}
      <Secrets shown={props.shown} alreadyShown={props.alreadyShown} />
      <section class="panel" aria-labelledby="list-title">
        <h2 id="list-title">Your webhooks</h2>
        {props.webhooks.length === 0 ? (
          <p class="muted">No webhooks yet.</p>
        ) : (
          <DataTable label="Webhooks" columns={['Resource', 'Post URL', 'Application', 'Last delivery', 'Details']}>
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
          </DataTable>
        )}
      </section>
      <section class="panel" aria-labelledby="add-title">
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
  alreadyShown?: boolean;
  notice?: string | null;
  error?: string | null;
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
      {props.shown && props.shown.length > 0 && <Notice>Signing secret rotated.</Notice>}
      <Secrets shown={props.shown} alreadyShown={props.alreadyShown} />
      <ErrorBox error={props.error} />
      <section class="panel" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        {props.deliveries.length === 0 ? (
          <p class="muted">Nothing delivered yet.</p>
        ) : (
          <DataTable label="Deliveries" columns={['Event', 'State', 'Attempts', 'Actions']}>
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
          </DataTable>
        )}
        {props.nextPage && (
          <p>
            <a href={`${base}?page_key=${encodeURIComponent(props.nextPage)}`}>Older deliveries →</a>
          </p>
        )}
      </section>
      <section class="panel" aria-labelledby="manage-title">
        <h2 id="manage-title">Manage</h2>
        <DangerForm
          action={`${base}/rotate`}
          csrf={props.viewer.csrf}
          class="rotate-form"
          label="Rotate the signing secret"
          button="Rotate signing secret"
          buttonClass="button button-secondary button-small"
          consequence={rotateWebhookSecretConsequence(props.webhook.post_url, null)}
        >
          <label for="f-grace">Old secret</label>
          <select id="f-grace" name="grace_period">
            {SECRET_GRACE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </DangerForm>
        <DangerForm
          action={`${base}/delete`}
          csrf={props.viewer.csrf}
          label="Delete the webhook"
          button="Delete webhook"
          consequence={deleteWebhookConsequence(props.webhook.resource_name, props.webhook.post_url)}
        />
      </section>
    </Layout>
  );
}
