import type { Flow } from '../../flows/service.js';
import { TRIGGER_EVENTS } from '../../flows/trigger-events.js';
import type { Trigger } from '../../flows/trigger-service.js';
import { DataTable, ErrorBox, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { StateBadge } from './state-badge.js';

/** What the schedule form shows again: a preview, or a refusal next to its field. */
export interface ScheduleDraft {
  cron: string;
  timezone: string;
  next_due?: string[];
  error?: string | null;
  field?: string | null;
}

/** What deleting a trigger stops, in words (dialog and confirmation page). */
export function deleteTriggerConsequence(flowName: string, trigger: Trigger): string {
  if (trigger.kind === 'event') {
    return `${trigger.summary.replace(/^When: /, '')} will no longer start ${flowName}. Runs it already started stay in the history.`;
  }
  const next = trigger.next_due[0] ? ` Its next due time, ${trigger.next_due[0].replace('T', ' ').replace(/:00\.000Z$/, ' UTC')}, will not run.` : '';
  return `The schedule ${trigger.cron} (${trigger.timezone}) will stop starting ${flowName}.${next} Runs it already started stay in the history.`;
}

/** The flow page's list of triggers: what each waits for, when it is next due, what it last did. */
export function TriggerList(props: { flow: Flow; triggers: Trigger[]; csrf: string; canEdit: boolean }) {
  const base = `/flows/${encodeURIComponent(props.flow.id)}`;
  if (props.triggers.length === 0) {
    return (
      <p class="muted">
        No triggers: this flow starts from the dashboard, the API or its webhook. <a href={`${base}/triggers/new`}>Add a trigger</a> to run it on a schedule or on a Tessera event.
      </p>
    );
  }
  return (
    <DataTable label="Triggers" columns={['Trigger', 'Next due', 'Last run', <span class="visually-hidden">Actions</span>]}>
      {props.triggers.map((t) => (
        <tr key={t.id} data-trigger={t.id}>
          <td data-label="Trigger">
            {t.kind === 'schedule' ? (
              <>
                On schedule <code>{t.cron}</code> <span class="muted">({t.timezone})</span>
              </>
            ) : (
              <>
                When: {t.summary.replace(/^When: /, '')}
              </>
            )}
          </td>
          <td data-label="Next due">
            {t.kind === 'event' ? (
              <span class="muted">on each event</span>
            ) : t.next_due.length === 0 ? (
              <span class="muted">never again</span>
            ) : (
              <ul class="plain-list">
                {t.next_due.map((at) => (
                  <li key={at}>
                    <Time at={at} />
                  </li>
                ))}
              </ul>
            )}
          </td>
          <td data-label="Last run">
            {t.last_fire === null ? (
              <span class="muted">not yet</span>
            ) : (
              <>
                <Time at={t.last_fire.at} />{' '}
                {t.last_fire.run_id ? (
                  <a href={`${base}/runs/${encodeURIComponent(t.last_fire.run_id)}`}>
                    <StateBadge state={t.last_fire.state} />
                  </a>
                ) : (
                  <StateBadge state={t.last_fire.state} />
                )}
                {t.last_fire.missed > 0 && <p class="hint">{t.last_fire.missed} earlier due times were missed while Tessera was down and run once, here.</p>}
                {t.last_fire.error && <p class="hint">{t.last_fire.error}</p>}
              </>
            )}
          </td>
          <td data-label="Actions">
            {props.canEdit && (
              <DangerForm
                action={`${base}/triggers/${encodeURIComponent(t.id)}/delete`}
                csrf={props.csrf}
                label={`Delete trigger ${t.summary}`}
                button="Delete trigger"
                consequence={deleteTriggerConsequence(props.flow.name, t)}
              />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

const TIMEZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

function FieldError(props: { id: string; error?: string | null }) {
  if (!props.error) return null;
  return (
    <p class="field-error" id={props.id}>
      {props.error}
    </p>
  );
}

/** "Add trigger": a schedule (cron + timezone, with its next due times) or a Tessera event. */
export function AddTriggerPage(props: { viewer: Viewer; flow: Flow; schedule: ScheduleDraft; eventError?: string | null; event?: string }) {
  const { flow, schedule } = props;
  const base = `/flows/${encodeURIComponent(flow.id)}`;
  const cronError = schedule.field !== 'timezone' ? schedule.error : null;
  const tzError = schedule.field === 'timezone' ? schedule.error : null;
  return (
    <Layout title={`Add a trigger to ${flow.name}`} viewer={props.viewer} active="flows">
      <PageHeader title="Add a trigger" back={{ href: base, label: flow.name }}>
        <p class="muted">
          A trigger starts <strong>{flow.name}</strong> by itself, acting as you. Each due time or event starts it once, however many Tessera servers run.
        </p>
      </PageHeader>
      <section class="panel" id="schedule" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">On a schedule</h2>
        <PostForm action={`${base}/triggers`} csrf={props.viewer.csrf} label="Add a schedule">
          <input type="hidden" name="kind" value="schedule" />
          <div class={`field${cronError ? ' field-invalid' : ''}`}>
            <label for="t-cron">Cron expression</label>
            <input
              id="t-cron"
              name="cron"
              type="text"
              value={schedule.cron}
              required
              autocomplete="off"
              spellcheck={false}
              aria-invalid={cronError ? 'true' : undefined}
              aria-describedby={`${cronError ? 't-cron-error ' : ''}t-cron-hint`}
            />
            <FieldError id="t-cron-error" error={cronError} />
            <p class="hint" id="t-cron-hint">
              Five fields: minute, hour, day of month, month, day of week. <code>0 9 * * 1</code> is Mondays at 9:00, <code>*/15 * * * *</code> every 15 minutes;{' '}
              <code>@daily</code> and <code>@hourly</code> work too.
            </p>
          </div>
          <div class={`field${tzError ? ' field-invalid' : ''}`}>
            <label for="t-timezone">Timezone</label>
            <input
              id="t-timezone"
              name="timezone"
              type="text"
              list="t-timezones"
              value={schedule.timezone}
              autocomplete="off"
              aria-invalid={tzError ? 'true' : undefined}
              aria-describedby={`${tzError ? 't-timezone-error ' : ''}t-timezone-hint`}
            />
            <datalist id="t-timezones">
              {TIMEZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <FieldError id="t-timezone-error" error={tzError} />
            <p class="hint" id="t-timezone-hint">
              The hours are read in this zone (an IANA name such as Europe/Berlin); daylight saving is followed.
            </p>
          </div>
          {schedule.next_due && (
            <div class="alert alert-info" role="status" id="t-preview">
              <p>Next due times:</p>
              <ol>
                {schedule.next_due.map((at) => (
                  <li key={at}>
                    <Time at={at} />
                  </li>
                ))}
              </ol>
            </div>
          )}
          <p class="hint">If Tessera is down at due times, it runs the flow once when it is back, not once per missed time.</p>
          <div class="actions">
            <button type="submit" name="action" value="preview" class="button button-secondary" formnovalidate>
              Show next due times
            </button>
            <button type="submit" class="button">
              Add schedule
            </button>
          </div>
        </PostForm>
      </section>
      <section class="panel" id="event" aria-labelledby="event-heading">
        <h2 id="event-heading">On a Tessera event</h2>
        <PostForm action={`${base}/triggers`} csrf={props.viewer.csrf} label="Add an event trigger">
          <input type="hidden" name="kind" value="event" />
          <ErrorBox error={props.eventError} />
          <div class="field">
            <label for="t-event">Event</label>
            <select id="t-event" name="event" aria-describedby="t-event-hint">
              {TRIGGER_EVENTS.map((e) => (
                <option key={e.name} value={e.name} selected={e.name === props.event}>
                  {e.label}
                </option>
              ))}
            </select>
            <p class="hint" id="t-event-hint">
              Your own events: each one starts the flow once, with the event's payload (the same as its webhook's) as the inputs: an input named like a payload key (
              <code>email</code>, <code>license_key</code>, <code>sale_id</code>, …) gets its value, an input named <code>event</code> the whole payload.
            </p>
          </div>
          <button type="submit" class="button">
            Add event trigger
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}
