import type { Flow } from '../../flows/service.js';
import { PageHeader, Time } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { Run } from '../services/flows.js';
import { StateBadge } from './flow.js';

/** One run: state, log line per step, inputs and outputs. Refreshes itself until the run ends. */
export function FlowRunPage(props: { viewer: Viewer; flow: Flow; run: Run; finished: boolean }) {
  const { flow, run } = props;
  return (
    <Layout title={`Run of ${flow.name}`} viewer={props.viewer} active="flows" refreshSeconds={props.finished ? undefined : 1}>
      <PageHeader title={`Run of ${flow.name}`} back={{ href: `/flows/${encodeURIComponent(flow.id)}`, label: flow.name }} />
      <section class="panel" aria-label="Run">
        <dl class="facts">
          <dt>Run ID</dt>
          <dd>
            <code>{run.run_id}</code>
          </dd>
          <dt>State</dt>
          <dd id="run-state" aria-live="polite">
            <StateBadge state={run.state} />
            {!props.finished && <span class="muted"> (this page refreshes until the run ends)</span>}
          </dd>
          <dt>Started</dt>
          <dd>
            <Time at={run.created_ts} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <Time at={run.finished_ts} never="not yet" />
          </dd>
        </dl>
        <h2>Log</h2>
        <pre class="log" id="run-log" tabIndex={0}>
          {run.log.length ? run.log.join('\n') : 'No log lines yet.'}
        </pre>
        <h2>Inputs</h2>
        <pre class="log" tabIndex={0}>
          {JSON.stringify(run.inputs, null, 2)}
        </pre>
        <h2>Outputs</h2>
        <pre class="log" id="run-outputs" tabIndex={0}>
          {JSON.stringify(run.outputs, null, 2)}
        </pre>
      </section>
    </Layout>
  );
}
