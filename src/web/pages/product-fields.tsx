import type { ComponentChildren } from 'preact';

/** Inputs the product pages need beside components.tsx's Field and Select. */

export function TextArea(props: { label: string; name: string; value?: string; hint?: ComponentChildren; id?: string; rows?: number }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        <span class="optional"> (optional)</span>
      </label>
      <textarea id={id} name={props.name} rows={props.rows ?? 5} class="prose" aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.value ?? ''}
      </textarea>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** One checkbox with its label and an optional hint. */
export function Check(props: { label: string; name: string; checked: boolean; hint?: ComponentChildren; id?: string; value?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="checkbox">
      <input type="checkbox" id={id} name={props.name} value={props.value ?? 'true'} checked={props.checked} aria-describedby={props.hint ? `${id}-hint` : undefined} />
      <label for={id}>
        {props.label}
        {props.hint && (
          <span class="hint" id={`${id}-hint`}>
            {' '}
            — {props.hint}
          </span>
        )}
      </label>
    </div>
  );
}

/** A short input (amounts, counts) whose id is unique on a page listing many rows. */
export function SmallField(props: {
  label: string;
  name: string;
  id: string;
  value?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string;
  hint?: string;
  maxlength?: number;
}) {
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      <input
        id={props.id}
        name={props.name}
        type="text"
        value={props.value}
        required={props.required}
        inputMode={props.inputmode}
        placeholder={props.placeholder}
        maxLength={props.maxlength}
        autocomplete="off"
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
