import type { ApiKey } from '../../apikeys/service.js';
import type { Flow } from '../../flows/service.js';
import { CodeBlock, CopyBox, ErrorBox, Notice, PageHeader, PostForm } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { ShownTarget } from '../services/flows.js';
import { SNIPPET_LANGUAGES, webhookSnippet, type WebhookTarget } from '../services/webhook-snippets.js';

export type { ShownTarget };

export interface FlowWebhookProps {
  viewer: Viewer;
  flow: Flow;
  keys: ApiKey[];
  /** Set once a key was chosen. */
  target?: ShownTarget | null;
  /** The password was confirmed in this session: recoverable keys fill in by themselves. */
  passwordConfirmed?: boolean;
  /** A reload of the page that showed a key once. */
  alreadyShown?: boolean;
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
            <p class="hint snippet-needs">Needs: {l.needs}</p>
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

/** How the chosen key's secret gets into the snippets, when it is not there yet. */
function FillIn(props: { viewer: Viewer; base: string; chosen: ApiKey }) {
  const { chosen } = props;
  return chosen.recoverable ? (
    <PostForm action={`${props.base}/webhook`} csrf={props.viewer.csrf} label="Confirm your password">
      <input type="hidden" name="key_id" value={chosen.id} />
      <p>
        {chosen.name} is recoverable: confirm your password once in this session and its secret fills in here (and on every flow's webhook panel for 15 minutes).
      </p>
      <div class="field">
        <label for="f-password">Your password</label>
        <input id="f-password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <button type="submit" class="button">
        Confirm password and fill in the key
      </button>
    </PostForm>
  ) : (
    <PostForm action={`${props.base}/webhook`} csrf={props.viewer.csrf} label="Paste the key">
      <input type="hidden" name="key_id" value={chosen.id} />
      <p>{chosen.name} was shown once when it was made and only its hash is stored. Paste it to fill it in, or create a key for this flow below.</p>
      <div class="field">
        <label for="f-secret">The key's secret</label>
        <input id="f-secret" name="api_key" type="password" autocomplete="off" required />
      </div>
      <button type="submit" class="button button-secondary">
        Fill in the key
      </button>
    </PostForm>
  );
}

/** The webhook panel: the flow's trigger URL and ready snippets with the key and user_id filled in. */
export function FlowWebhookPage(props: FlowWebhookProps) {
  const { viewer, flow, keys, target } = props;
  const base = `/flows/${encodeURIComponent(flow.id)}`;
  const chosen = target ? keys.find((k) => k.id === target.keyId) : undefined;
  return (
    <Layout title={`Webhook of ${flow.name}`} viewer={viewer} active="flows">
      <PageHeader title={`Webhook of ${flow.name}`} back={{ href: base, label: flow.name }}>
        <p class="muted">A POST to the trigger URL starts the flow as you; its JSON body becomes the inputs.</p>
      </PageHeader>
      {props.alreadyShown && (
        <Notice kind="info">Already shown: the key was filled in once and is not shown again. Choose the key again, or create a new one.</Notice>
      )}
      {target?.created && (
        <p class="alert alert-warning" role="status">
          Key created for this flow. Copy the snippet now: the key is shown only this once.
        </p>
      )}
      <section class="panel" aria-labelledby="key-heading">
        <h2 id="key-heading">Key</h2>
        <ErrorBox error={props.error} />
        {keys.length > 0 && (
          <form method="get" action={`${base}/webhook`} aria-label="Choose a key">
            <div class="form-row">
              <div class="field">
                <label for="f-key">API key</label>
                <select id="f-key" name="key">
                  {keys.map((k) => (
                    <option key={k.id} value={k.id} selected={k.id === target?.keyId}>
                      {`${k.name} (${k.hint})${k.recoverable ? ', recoverable' : ''}`}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <button type="submit" class="button button-secondary">
                  Use this key
                </button>
              </div>
            </div>
          </form>
        )}
        {chosen && target && !target.includesKey && <FillIn viewer={viewer} base={base} chosen={chosen} />}
        <PostForm action={`${base}/webhook/key`} csrf={viewer.csrf} label="Create a key for this flow">
          <p class="muted">
            {keys.length === 0 ? 'No key can start this flow yet. ' : ''}A new {flow.owner.type === 'team' ? 'team' : 'personal'} key, shown once, filled into the snippets at once.
          </p>
          <button type="submit" class="button">
            Create a key for this flow
          </button>
        </PostForm>
      </section>
      {target && (
        <section class="panel" aria-labelledby="snippets-heading">
          <h2 id="snippets-heading">Trigger</h2>
          {!target.includesKey && <p class="alert alert-info">The snippets hold YOUR_API_KEY until the key is filled in above.</p>}
          <Snippets target={target} />
        </section>
      )}
    </Layout>
  );
}
