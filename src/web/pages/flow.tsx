import type { Flow } from '../../flows/service.js';
import { DataTable, ErrorBox, Notice, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import { deleteFlowConsequence } from '../services/consequences.js';
import type { Viewer } from '../page-auth.js';
import type { Run } from '../services/flows.js';
import { DefinitionEditor } from './flow-editor.js';
import { StepEditor, type StepDraft } from './flow-steps.js';
import { TriggerList } from './flow-triggers.js';
import { StateBadge } from './state-badge.js';
import type { Trigger } from '../../flows/trigger-service.js';

export { StateBadge };

export interface FlowPageProps {
  viewer: Viewer;
  flow: Flow;
  runs: Run[];
  definition?: string;
  saved?: boolean;
  editError?: string | null;
  runError?: string | null;
  triggers: Trigger[];
  /** Owners and admins of a team flow, or its owner: members only read. */
  canEdit: boolean;
  stepDraft?: StepDraft | null;
  /** A sentence after a step or trigger change. */
  notice?: string | null;
}

function RunForm(props: { viewer: Viewer; flow: Flow; error?: string | null }) {
  const inputs = props.flow.definition.inputs ?? [];
  return (
    <section class="panel" aria-labelledby="run-heading">
      <h2 id="run-heading">Start a run</h2>
      <ErrorBox error={props.error} />
      <PostForm action={`/flows/${encodeURIComponent(props.flow.id)}/runs`} csrf={props.viewer.csrf} label="Start a run">
        {inputs.length === 0 && <p class="muted">This flow takes no inputs.</p>}
        {inputs.map((input) => (
          <div class="field" key={input.name}>
            <label for={`input-${input.name}`}>
              {input.name}
              {input.required ? null : <span class="optional"> (optional)</span>}
            </label>
            <input id={`input-${input.name}`} name={`input.${input.name}`} type="text" required={input.required} aria-describedby={`input-${input.name}-hint`} />
            <p class="hint" id={`input-${input.name}-hint`}>
              {input.description ?? ''}
              {input.default !== undefined ? ` Default: ${JSON.stringify(input.default)}.` : ''}
            </p>
          </div>
        ))}
        <button type="submit" class="button">
          Start run
        </button>
      </PostForm>
    </section>
  );
}

/** A flow: start a run, its run history, its definition, the webhook and deletion. */
export function FlowPage(props: FlowPageProps) {
  const { viewer, flow } = props;
  const base = `/flows/${encodeURIComponent(flow.id)}`;
  return (
    <Layout title={flow.name} viewer={viewer} active="flows">
      <PageHeader title={flow.name} back={{ href: '/flows', label: 'Flows' }}>
        {flow.description && <p class="muted">{flow.description}</p>}
        <div class="actions">
          <a class="button button-secondary" href={`${base}/webhook`}>
            Webhook
          </a>
          {props.canEdit && (
            <a class="button button-secondary" href={`${base}/triggers/new`}>
              Add trigger
            </a>
          )}
        </div>
      </PageHeader>
      {props.saved && <Notice>Flow saved.</Notice>}
      {props.notice && <Notice>{props.notice}</Notice>}
      <RunForm viewer={viewer} flow={flow} error={props.runError} />
      <section class="panel" id="triggers" aria-labelledby="triggers-heading">
        <h2 id="triggers-heading">Triggers</h2>
        <TriggerList flow={flow} triggers={props.triggers} csrf={viewer.csrf} canEdit={props.canEdit} />
      </section>
      <section class="panel" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Run history</h2>
        {props.runs.length === 0 ? (
          <p class="muted">No runs yet.</p>
        ) : (
          <DataTable label="Runs" columns={['Run', 'State', 'Started', 'Finished']}>
            {props.runs.map((r) => (
              <tr key={r.run_id} data-run={r.run_id}>
                <td data-label="Run">
                  <a href={`${base}/runs/${encodeURIComponent(r.run_id)}`}>
                    <code>{r.run_id}</code>
                  </a>
                </td>
                <td data-label="State">
                  <StateBadge state={r.state} />
                </td>
                <td data-label="Started">
                  <Time at={r.created_ts} />
                </td>
                <td data-label="Finished">
                  <Time at={r.finished_ts} never="—" />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section class="panel" id="steps" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        <p class="hint">
          Build the flow here, or edit its JSON below: both are checked the same way. Any field may hold a template such as <code>{'{{ inputs.email }}'}</code> or{' '}
          <code>{'{{ steps.<id>.<field> }}'}</code>.
        </p>
        <StepEditor flow={flow} csrf={viewer.csrf} draft={props.stepDraft ?? null} canEdit={props.canEdit} />
      </section>
      <section class="panel" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Definition (JSON)</h2>
        <DefinitionEditor
          action={base}
          csrf={viewer.csrf}
          definition={props.definition ?? JSON.stringify(flow.definition, null, 2)}
          error={props.editError}
          submit="Save flow"
        />
      </section>
      <section class="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete flow</h2>
        <DangerForm
          action={`${base}/delete`}
          csrf={viewer.csrf}
          label="Delete flow"
          button="Delete flow"
          buttonClass="button button-danger"
          consequence={deleteFlowConsequence(flow.name, props.runs.length)}
        />
      </section>
    </Layout>
  );
}
