import type { ApiKey } from '../../apikeys/service.js';
import type { Flow } from '../../flows/service.js';
import { CodeBlock, CopyBox, ErrorBox, PageHeader, PostForm, Select } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { SNIPPET_LANGUAGES, webhookSnippet, type WebhookTarget } from '../services/webhook-snippets.js';

export interface FlowWebhookProps {
  viewer: Viewer;
  flow: Flow;
  keys: ApiKey[];
  /** Set once a key was chosen. */
  target?: (WebhookTarget & { includesKey: boolean; keyId: string }) | null;
  error?: string | null;
}

function Snippets(props: { target: WebhookTarget }) {
  const { target } = props;
  return (
    <div id="snippets" data-key-mode="url">
      <div class="switch">
        <input type="checkbox" id="key-switch" data-key-switch="snippets" />
        <label for="key-switch">Send the key in the Authorization header instead of the URL</label>
      </div>
      <div class="key-url">
        <CopyBox id="trigger-url" label="Trigger URL" value={target.url} secret />
      </div>
      <div class="key-header">
        <CopyBox id="trigger-header-url" label="Trigger URL (no key)" value={target.headerUrl} />
        <CopyBox id="trigger-authorization" label="Authorization header" value={target.authorization} secret />
      </div>
      <div class="tabs">
        <div role="tablist" aria-label="Snippet language">
          {SNIPPET_LANGUAGES.map((l) => (
            <button type="button" role="tab" id={`tab-${l.id}`} aria-controls={`panel-${l.id}`} aria-selected="false" key={l.id}>
              {l.label}
            </button>
          ))}
        </div>
        {SNIPPET_LANGUAGES.map((l) => (
          <div role="tabpanel" id={`panel-${l.id}`} aria-labelledby={`tab-${l.id}`} key={l.id}>
            <h3 class="visually-hidden">{l.label}</h3>
            <div class="key-url">
              <CodeBlock id={`snippet-${l.id}-url`} label={`${l.label}, key in the URL`} code={webhookSnippet(l.id, target, false)} />
            </div>
            <div class="key-header">
              <CodeBlock id={`snippet-${l.id}-header`} label={`${l.label}, key in the Authorization header`} code={webhookSnippet(l.id, target, true)} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/** The webhook panel: the flow's trigger URL and ready snippets with the key and user_id filled in. */
export function FlowWebhookPage(props: FlowWebhookProps) {
  const { viewer, flow, keys, target } = props;
  const base = `/flows/${encodeURIComponent(flow.id)}`;
  return (
    <Layout title={`Webhook of ${flow.name}`} viewer={viewer} active="flows">
      <PageHeader title={`Webhook of ${flow.name}`} back={{ href: base, label: flow.name }}>
        <p class="muted">A POST to the trigger URL starts the flow as you; its JSON body becomes the inputs.</p>
      </PageHeader>
      <section class="panel" aria-labelledby="key-heading">
        <h2 id="key-heading">Key</h2>
        <ErrorBox error={props.error} />
        {keys.length === 0 ? (
          <p>
            No key can start this flow yet. <a href="/api-keys">Create {flow.owner.type === 'team' ? "a key for the flow's team" : 'a personal key'}</a> first.
          </p>
        ) : (
          <PostForm action={`${base}/webhook`} csrf={viewer.csrf} label="Choose a key">
            <Select label="API key" name="key_id" id="f-key" options={keys.map((k) => ({ value: k.id, label: `${k.name} (${k.hint})` }))} value={target?.keyId} />
            <div class="field">
              <label for="f-secret">
                The key itself<span class="optional"> (optional)</span>
              </label>
              <input id="f-secret" name="api_key" type="password" autocomplete="off" aria-describedby="f-secret-hint" />
              <p class="hint" id="f-secret-hint">
                Paste it to fill it into the snippets, or give your password below if the key is recoverable. Otherwise the snippets hold YOUR_API_KEY.
              </p>
            </div>
            <div class="field">
              <label for="f-password">
                Your password<span class="optional"> (optional, recoverable keys)</span>
              </label>
              <input id="f-password" name="password" type="password" autocomplete="current-password" />
            </div>
            <button type="submit" class="button">
              Show trigger URL and snippets
            </button>
          </PostForm>
        )}
      </section>
      {target && (
        <section class="panel" aria-labelledby="snippets-heading">
          <h2 id="snippets-heading">Trigger</h2>
          {!target.includesKey && <p class="alert alert-info">Replace YOUR_API_KEY with the key's secret.</p>}
          <Snippets target={target} />
        </section>
      )}
    </Layout>
  );
}
