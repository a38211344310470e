import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.js';
import { isoTime, readableUtc } from '../util/dates.js';

/** The hidden CSRF field every POST form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A POST form with its CSRF token. */
export function PostForm(props: { action: string; csrf: string; multipart?: boolean; class?: string; label?: string; children: ComponentChildren }) {
  return (
    <form method="post" action={props.action} enctype={props.multipart ? 'multipart/form-data' : undefined} class={props.class} aria-label={props.label}>
      <Csrf token={props.csrf} />
      {props.children}
    </form>
  );
}

/** Errors at the top of a form, announced to screen readers. */
export function ErrorBox(props: { error?: string | null }) {
  if (!props.error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {props.error}
    </div>
  );
}

/**
 * A data table in its scroll wrapper, with one header row of column names (`scope="col"`). By
 * default it stacks into labelled cards at phone width (`table.stack`: each cell carries its
 * column's name in `data-label`); `stack={false}` keeps a plain table.
 */
export function DataTable(props: { label?: string; columns: ComponentChildren[]; stack?: boolean; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class={props.stack === false ? undefined : 'stack'} aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((column, i) => (
              <th key={i} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function Notice(props: { children: ComponentChildren; kind?: 'success' | 'warning' | 'info' }) {
  return (
    <div class={`alert alert-${props.kind ?? 'success'}`} role="status">
      {props.children}
    </div>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'file' | 'search' | 'number' | 'datetime-local' | 'date';
  value?: string;
  hint?: ComponentChildren;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  accept?: string;
  inputmode?: string;
  id?: string;
}

/** A labelled input with an optional hint tied to it by aria-describedby. */
export function Field(props: FieldProps) {
  const id = props.id ?? `f-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      <input
        id={id}
        name={props.name}
        // Preact types <input> per type; the attributes used here are valid for each of ours.
        type={(props.type ?? 'text') as 'text'}
        value={props.type === 'file' || props.type === 'password' ? undefined : props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        accept={props.accept}
        inputMode={props.inputmode as never}
        aria-describedby={hintId}
      />
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function Select(props: { label: string; name: string; options: Array<{ value: string; label: string }>; value?: string; hint?: string; id?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes with a legend. */
export function Checkboxes(props: { legend: string; name: string; options: Array<{ value: string; label: string; hint?: string }>; checked: readonly string[] }) {
  return (
    <fieldset class="checkboxes">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <div class="checkbox" key={o.value}>
          <input type="checkbox" id={`f-${props.name}-${o.value}`} name={props.name} value={o.value} checked={props.checked.includes(o.value)} />
          <label for={`f-${props.name}-${o.value}`}>
            <code>{o.label}</code>
            {o.hint && <span class="hint"> — {o.hint}</span>}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A value shown in a read-only box with a copy button (secrets shown once, ids, commands). */
export function CopyBox(props: { id: string; label: string; value: string; secret?: boolean }) {
  return (
    <div class="field copybox">
      <label for={props.id}>{props.label}</label>
      <div class="copy-row">
        <input id={props.id} class={props.secret ? 'mono secret-value' : 'mono'} type="text" readOnly value={props.value} spellcheck={false} autocomplete="off" />
        <button type="button" class="button" data-copy={props.id}>
          Copy
        </button>
      </div>
    </div>
  );
}

/** A multi-line command or snippet with a copy button. */
export function CodeBlock(props: { id: string; code: string; label?: string }) {
  return (
    <div class="codeblock">
      <pre id={props.id} tabIndex={0} aria-label={props.label}>
        <code>{props.code}</code>
      </pre>
      <button type="button" class="button button-small" data-copy={props.id}>
        Copy
      </button>
    </div>
  );
}

export function Time(props: { at: string | number | null | undefined; never?: string }) {
  if (props.at === null || props.at === undefined) return <span class="muted">{props.never ?? 'never'}</span>;
  const iso = typeof props.at === 'number' ? isoTime(props.at) : props.at;
  return <time datetime={iso}>{readableUtc(iso)}</time>;
}

export function PageHeader(props: { title: string; children?: ComponentChildren; back?: { href: string; label: string } }) {
  return (
    <div class="page-header">
      {props.back && (
        <a class="back" href={props.back.href}>
          ← {props.back.label}
        </a>
      )}
      <h1>{props.title}</h1>
      {props.children}
    </div>
  );
}
