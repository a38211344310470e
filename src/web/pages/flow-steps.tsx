import type { Flow } from '../../flows/service.js';
import { ErrorBox, PostForm } from '../components.js';
import { DangerForm } from '../confirm.js';
import { STEP_CHOICES, stepFields, stepValues, type StepField } from '../services/flow-steps.js';

/**
 * The form-based step editor beside the JSON editor: every step as a card (move up / down,
 * remove after asking, its fields to edit) and a form to add one. Each button is its own POST
 * answered by a redirect; with script, choosing a step type shows its fields at once.
 */

/** A refused edit (or a chosen type), carried back to the page in a flash. */
export interface StepDraft {
  /** The step id the form was about, or "new" for the add form. */
  target: string;
  type: string;
  error?: string;
  field?: string | null;
  values: Record<string, string>;
}

const label = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function FieldInput(props: { field: StepField; id: string; name: string; value: string; error?: string | null }) {
  const { field, id, name, value } = props;
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-describedby': describedBy, 'aria-invalid': props.error ? ('true' as const) : undefined };
  let control;
  if (field.kind === 'boolean') {
    return (
      <div class={`field checkbox${props.error ? ' field-invalid' : ''}`}>
        <input type="checkbox" {...common} value="on" checked={value !== ''} />
        <label for={id}>{label(field.name)}</label>
        {props.error && (
          <p class="field-error" id={errorId}>
            {props.error}
          </p>
        )}
        {field.hint && (
          <p class="hint" id={hintId}>
            {field.hint}
          </p>
        )}
      </div>
    );
  }
  if (field.kind === 'choice') {
    control = (
      <select {...common}>
        <option value="" selected={value === ''}>
          (default)
        </option>
        {field.choices!.map((c) => (
          <option key={c} value={c} selected={c === value}>
            {c}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'textarea' || field.kind === 'list' || field.kind === 'map' || field.kind === 'json') {
    control = (
      <textarea {...common} rows={field.kind === 'textarea' && field.name === 'url' ? 2 : 4} required={field.required} spellcheck={false}>
        {value}
      </textarea>
    );
  } else {
    const numeric = field.kind === 'integer' || field.kind === 'number';
    // Text, not type=number: a template such as {{ inputs.n }} is refused by the flow's validation with its reason.
    control = <input type="text" {...common} value={value} required={field.required} inputMode={numeric ? 'numeric' : undefined} autocomplete="off" />;
  }
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {label(field.name)} <code class="field-name">{field.name}</code>
        {field.required ? null : <span class="optional"> (optional)</span>}
      </label>
      {control}
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
      {field.hint && (
        <p class="hint" id={hintId}>
          {field.hint}
        </p>
      )}
    </div>
  );
}

/** The fields of one step type; `prefix` names the form fields, `idPrefix` the elements. */
export function StepTypeFields(props: { type: string; prefix: string; idPrefix: string; values: Record<string, string>; errorField?: string | null; error?: string | null }) {
  return (
    <>
      {stepFields(props.type).map((field) => (
        <FieldInput
          key={field.name}
          field={field}
          id={`${props.idPrefix}${field.name}`}
          name={`${props.prefix}${field.name}`}
          value={props.values[field.name] ?? ''}
          error={props.errorField === field.name ? props.error : null}
        />
      ))}
    </>
  );
}

/**
 * The step type chooser and the fields of every type (only the chosen one enabled and shown:
 * disabled fieldsets neither submit nor block the form). Without script "Show its fields" posts
 * the choice and the page comes back with that type's fields.
 */
export function NewStepFields(props: { draft: StepDraft | null; idPrefix: string }) {
  const draft = props.draft;
  const chosen = draft && STEP_CHOICES.some((c) => c.type === draft.type) ? draft.type : STEP_CHOICES[0]!.type;
  const fieldError = draft?.error && draft.field && draft.field !== 'id' && draft.field !== 'type' ? draft.field : null;
  return (
    <>
      <div class={`field${draft?.field === 'type' ? ' field-invalid' : ''}`}>
        <label for={`${props.idPrefix}type`}>Step type</label>
        <select id={`${props.idPrefix}type`} name="type" data-step-type-switch={`${props.idPrefix}fields`} aria-describedby={`${props.idPrefix}type-hint`}>
          {STEP_CHOICES.map((c) => (
            <option key={c.type} value={c.type} selected={c.type === chosen}>
              {c.type}
            </option>
          ))}
        </select>
        <p class="hint" id={`${props.idPrefix}type-hint`}>
          {STEP_CHOICES.find((c) => c.type === chosen)!.summary}
        </p>
        <button type="submit" name="action" value="choose" formnovalidate class="button button-secondary button-small" data-without-script>
          Show its fields
        </button>
      </div>
      <div class="field">
        <label for={`${props.idPrefix}id`}>
          Step id<span class="optional"> (optional)</span>
        </label>
        <input
          type="text"
          id={`${props.idPrefix}id`}
          name="id"
          value={draft?.values.id ?? ''}
          autocomplete="off"
          aria-describedby={`${props.idPrefix}id-hint${draft?.field === 'id' ? ` ${props.idPrefix}id-error` : ''}`}
          aria-invalid={draft?.field === 'id' ? 'true' : undefined}
        />
        {draft?.field === 'id' && draft.error && (
          <p class="field-error" id={`${props.idPrefix}id-error`}>
            {draft.error}
          </p>
        )}
        <p class="hint" id={`${props.idPrefix}id-hint`}>
          Later steps read its output as <code>{'{{ steps.<id>.<field> }}'}</code>. Default: the type's name.
        </p>
      </div>
      <div id={`${props.idPrefix}fields`}>
        {STEP_CHOICES.map((c) => (
          <fieldset key={c.type} class="step-fields" data-step-type={c.type} hidden={c.type !== chosen} disabled={c.type !== chosen}>
            <legend>
              Fields of <code>{c.type}</code>
            </legend>
            <p class="hint">{c.summary}</p>
            <StepTypeFields
              type={c.type}
              prefix={`p.${c.type}.`}
              idPrefix={`${props.idPrefix}${c.type}-`}
              values={c.type === chosen ? (draft?.values ?? {}) : {}}
              errorField={c.type === chosen ? fieldError : null}
              error={draft?.error}
            />
          </fieldset>
        ))}
      </div>
    </>
  );
}

export function StepEditor(props: { flow: Flow; csrf: string; draft: StepDraft | null; canEdit: boolean }) {
  const { flow, draft } = props;
  const base = `/flows/${encodeURIComponent(flow.id)}/steps`;
  const steps = flow.definition.steps;
  return (
    <>
      <ol class="step-list" aria-label="Steps">
        {steps.map((step, i) => {
          const mine = draft && draft.target === step.id ? draft : null;
          const general = mine?.error && (!mine.field || mine.field === 'id' || mine.field === 'type') ? mine.error : null;
          const path = `${base}/${encodeURIComponent(step.id)}`;
          return (
            <li class="step-card" id={`step-${step.id}`} key={step.id} data-step={step.id}>
              <div class="step-head">
                <h3>
                  <span class="step-number">{i + 1}.</span> {step.id} <code>{step.type}</code>
                </h3>
                {props.canEdit && (
                  <div class="actions">
                    {i > 0 && (
                      <PostForm action={`${path}/move`} csrf={props.csrf} label={`Move ${step.id} up`}>
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="button button-secondary button-small" aria-label={`Move ${step.id} up`}>
                          ↑ Up
                        </button>
                      </PostForm>
                    )}
                    {i < steps.length - 1 && (
                      <PostForm action={`${path}/move`} csrf={props.csrf} label={`Move ${step.id} down`}>
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="button button-secondary button-small" aria-label={`Move ${step.id} down`}>
                          ↓ Down
                        </button>
                      </PostForm>
                    )}
                    <DangerForm
                      action={`${path}/delete`}
                      csrf={props.csrf}
                      label={`Remove ${step.id}`}
                      button={`Remove ${step.id}`}
                      consequence={removeStepConsequence(step.id, step.type)}
                    />
                  </div>
                )}
              </div>
              <details open={mine !== null}>
                <summary>Fields of {step.id}</summary>
                <PostForm action={path} csrf={props.csrf} label={`Step ${step.id}`}>
                  <ErrorBox error={general} />
                  <StepTypeFields
                    type={step.type}
                    prefix="p."
                    idPrefix={`step-${step.id}-`}
                    values={mine?.values ?? stepValues(step)}
                    errorField={mine?.field}
                    error={mine?.error}
                  />
                  {props.canEdit && (
                    <button type="submit" class="button">
                      Save {step.id}
                    </button>
                  )}
                </PostForm>
              </details>
            </li>
          );
        })}
      </ol>
      {props.canEdit && (
        <section class="add-step" id="add-step" aria-labelledby="add-step-heading">
          <h3 id="add-step-heading">Add a step</h3>
          <PostForm action={base} csrf={props.csrf} label="Add a step">
            <ErrorBox error={draft?.target === 'new' && draft.error && (!draft.field || draft.field === 'type') ? draft.error : null} />
            <NewStepFields draft={draft?.target === 'new' ? draft : null} idPrefix="add-" />
            <button type="submit" class="button">
              Add step
            </button>
          </PostForm>
        </section>
      )}
    </>
  );
}

/** What removing a step loses. */
export function removeStepConsequence(id: string, type: string): string {
  return `The step ${id} (${type}) and its fields will be removed from the flow; later steps that read {{ steps.${id}.… }} must be changed first. Runs already started keep it.`;
}
