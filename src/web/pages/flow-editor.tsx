import type { Team } from '../../teams/service.js';
import { ErrorBox, PageHeader, PostForm, Select } from '../components.js';
import { NewStepFields, type StepDraft } from './flow-steps.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export const EXAMPLE_FLOW = JSON.stringify(
  {
    name: 'Say hello',
    description: 'Waits a moment, then greets.',
    inputs: [{ name: 'who', description: 'Whom to greet', default: 'world' }],
    steps: [{ id: 'pause', type: 'delay', ms: 10 }],
    outputs: { greeting: 'Hello, {{ inputs.who }}!' },
  },
  null,
  2,
);

/** The JSON editor of a flow definition; the server validates it against the flow schema. */
export function DefinitionEditor(props: { action: string; csrf: string; definition: string; error?: string | null; teams?: Team[]; submit: string }) {
  return (
    <PostForm action={props.action} csrf={props.csrf} label="Flow definition">
      <ErrorBox error={props.error} />
      {props.teams && (
        <Select
          label="Owner"
          name="team_id"
          id="f-owner"
          options={[{ value: '', label: 'Me' }, ...props.teams.map((t) => ({ value: t.id, label: `Team ${t.name}` }))]}
          value=""
        />
      )}
      <div class="field">
        <label for="f-definition">Definition (JSON)</label>
        <textarea id="f-definition" name="definition" spellcheck={false} aria-describedby="f-definition-hint" required>
          {props.definition}
        </textarea>
        <p class="hint" id="f-definition-hint">
          A name, declared <code>inputs</code>, ordered <code>steps</code> and optional <code>outputs</code>; strings are templates such as{' '}
          <code>{'{{ inputs.who }}'}</code>. The full schema and step library: <a href="/api/flows/schema">/api/flows/schema</a>.
        </p>
      </div>
      <button type="submit" class="button">
        {props.submit}
      </button>
    </PostForm>
  );
}

export function NewFlowPage(props: { viewer: Viewer; teams: Team[]; definition: string; error?: string | null; draft?: StepDraft | null }) {
  const draft = props.draft?.target === 'new-flow' ? props.draft : null;
  const general = draft?.error && !draft.field ? draft.error : null;
  return (
    <Layout title="New flow" viewer={props.viewer} active="flows">
      <PageHeader title="New flow" back={{ href: '/flows', label: 'Flows' }} />
      <section class="panel" aria-labelledby="builder-heading">
        <h2 id="builder-heading">Build with forms</h2>
        <p class="hint">Name the flow and choose its first step; add, reorder and remove steps on the flow's page.</p>
        <PostForm action="/flows" csrf={props.viewer.csrf} label="Build a flow with forms">
          <input type="hidden" name="builder" value="steps" />
          <ErrorBox error={general} />
          <div class="field">
            <label for="b-name">Name</label>
            <input id="b-name" name="name" type="text" required maxLength={100} value={draft?.values.name ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="b-description">
              Description<span class="optional"> (optional)</span>
            </label>
            <input id="b-description" name="description" type="text" maxLength={1000} value={draft?.values.description ?? ''} autocomplete="off" />
          </div>
          {props.teams.length > 0 && (
            <Select
              label="Owner"
              name="team_id"
              id="b-owner"
              options={[{ value: '', label: 'Me' }, ...props.teams.map((t) => ({ value: t.id, label: `Team ${t.name}` }))]}
              value={draft?.values.team_id ?? ''}
            />
          )}
          <h3>First step</h3>
          <NewStepFields draft={draft} idPrefix="new-" />
          <button type="submit" class="button">
            Create flow
          </button>
        </PostForm>
      </section>
      <section class="panel" aria-labelledby="json-heading">
        <h2 id="json-heading">Or write its JSON</h2>
        <DefinitionEditor action="/flows" csrf={props.viewer.csrf} definition={props.definition} error={props.error} teams={props.teams} submit="Create flow from JSON" />
      </section>
    </Layout>
  );
}
