import type { TSchema } from 'typebox';
import type { Actor, AppContext } from '../../context.js';
import type { FlowDefinition, FlowStep } from '../../flows/definition.js';
import { getFlow, updateFlow, type Flow } from '../../flows/service.js';
import { STEP_TYPES, findStepType } from '../../flows/steps/index.js';
import { TesseraError } from '../../http/errors.js';
import type { FormBody } from '../form.js';

/**
 * The dashboard's step editor: each step type's parameters as form fields, read from the step's
 * own TypeBox schema, and the edits (add, save, move, remove) as whole definitions saved through
 * `updateFlow`, so the editor validates exactly as PUT /api/flows/:id does.
 */

export type FieldKind = 'text' | 'textarea' | 'integer' | 'number' | 'boolean' | 'choice' | 'list' | 'map' | 'json';

export interface StepField {
  name: string;
  kind: FieldKind;
  required: boolean;
  hint: string;
  choices?: string[];
}

/** Long text gets a text area. */
const LONG_TEXT = new Set(['text', 'url']);

function kindOf(name: string, schema: TSchema & Record<string, unknown>): { kind: FieldKind; choices?: string[] } {
  if (Array.isArray(schema.anyOf)) return { kind: 'choice', choices: (schema.anyOf as { const?: unknown }[]).map((c) => String(c.const)) };
  switch (schema.type) {
    case 'integer':
      return { kind: 'integer' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'list' };
    case 'object':
      return { kind: 'map' };
    case 'string':
      return { kind: LONG_TEXT.has(name) ? 'textarea' : 'text' };
    default:
      return { kind: 'json' };
  }
}

const HINTS: Record<FieldKind, string> = {
  text: '',
  textarea: '',
  integer: 'A whole number.',
  number: 'A number.',
  boolean: '',
  choice: '',
  list: 'One per line.',
  map: 'One "Name: value" per line.',
  json: 'JSON (an object or a list) is sent as JSON; anything else as text.',
};

export function stepFields(type: string): StepField[] {
  const step = findStepType(type);
  if (!step) return [];
  const required = new Set((step.params.required as string[] | undefined) ?? []);
  return Object.entries(step.params.properties).map(([name, schema]) => {
    const { kind, choices } = kindOf(name, schema as TSchema & Record<string, unknown>);
    const description = (schema as { description?: string }).description ?? '';
    return { name, kind, required: required.has(name), hint: [description, HINTS[kind]].filter(Boolean).join(' '), ...(choices ? { choices } : {}) };
  });
}

export const STEP_CHOICES = STEP_TYPES.map((s) => ({ type: s.type, summary: s.summary }));

/** What a field shows for a saved value. */
function shown(field: StepField, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (field.kind) {
    case 'boolean':
      return value === true ? 'on' : '';
    case 'list':
      return Array.isArray(value) ? value.map(String).join('\n') : String(value);
    case 'map':
      return typeof value === 'object' ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : String(value);
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** A saved step's fields as form values (`id` included). */
export function stepValues(step: FlowStep): Record<string, string> {
  const values: Record<string, string> = { id: step.id };
  for (const field of stepFields(step.type)) values[field.name] = shown(field, step[field.name]);
  return values;
}

function fieldError(message: string, field: string): TesseraError {
  return new TesseraError('FLOW_INVALID', message, { field });
}

/** One field's form text as the step's value; undefined leaves it out. */
function readField(field: StepField, raw: string): unknown {
  const text = field.kind === 'textarea' || field.kind === 'json' || field.kind === 'text' ? raw : raw.trim();
  if (field.kind === 'boolean') return text !== '' ? true : undefined;
  if (text.trim() === '') return field.required && (field.kind === 'text' || field.kind === 'textarea') ? '' : undefined;
  switch (field.kind) {
    case 'integer':
    case 'number':
      // Not a number: kept as typed, so the flow's validation names the field ("must be integer").
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'list':
      return text.split(/\r?\n|,/).map((v) => v.trim()).filter(Boolean);
    case 'map': {
      const map: Record<string, string> = Object.create(null);
      for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
        const at = line.indexOf(':');
        if (at <= 0) throw fieldError(`${field.name}: "${line.trim().slice(0, 80)}" is not a "Name: value" line.`, field.name);
        map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return { ...map };
    }
    case 'json': {
      const trimmed = text.trim();
      if (!/^[[{]/.test(trimmed)) return text;
      try {
        return JSON.parse(trimmed);
      } catch (err) {
        throw fieldError(`${field.name} is not valid JSON: ${(err as Error).message}.`, field.name);
      }
    }
    default:
      return text;
  }
}

/** A step from form fields named `<prefix><param>`, as typed (the flow's validation judges it). */
export function stepFromForm(type: string, id: string, form: FormBody, prefix: string): FlowStep {
  if (!findStepType(type)) throw fieldError(`Choose a step type (one of ${STEP_TYPES.map((s) => s.type).join(', ')}).`, 'type');
  const step: FlowStep = { id, type };
  for (const field of stepFields(type)) {
    const raw = form[`${prefix}${field.name}`];
    const value = readField(field, typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : '');
    if (value !== undefined) step[field.name] = value;
  }
  return step;
}

/** The raw form values of a step's fields, to show again after a refusal. */
export function formValues(type: string, form: FormBody, prefix: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of stepFields(type)) {
    const raw = form[`${prefix}${field.name}`];
    if (typeof raw === 'string') values[field.name] = raw;
  }
  return values;
}

/** A fresh step id for a type: the type's name, numbered when taken. */
export function freshStepId(definition: FlowDefinition, type: string): string {
  const taken = new Set(definition.steps.map((s) => s.id));
  if (!taken.has(type)) return type;
  for (let n = 2; ; n++) if (!taken.has(`${type}_${n}`)) return `${type}_${n}`;
}

function indexOf(flow: Flow, stepId: string): number {
  const index = flow.definition.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new TesseraError('FLOW_NOT_FOUND', 'That step is not in this flow (it may have been removed in another tab).');
  return index;
}

export type StepEdit =
  | { kind: 'add'; step: FlowStep }
  | { kind: 'save'; stepId: string; step: FlowStep }
  | { kind: 'move'; stepId: string; by: -1 | 1 }
  | { kind: 'remove'; stepId: string };

/** Applies one edit to the saved flow and saves it through updateFlow (validated, audited). */
export async function editSteps(ctx: AppContext, userId: string, flowId: string, edit: StepEdit, actor: Actor): Promise<Flow> {
  const flow = await getFlow(ctx, userId, flowId);
  const steps = [...flow.definition.steps];
  switch (edit.kind) {
    case 'add':
      steps.push(edit.step);
      break;
    case 'save':
      steps[indexOf(flow, edit.stepId)] = edit.step;
      break;
    case 'move': {
      const from = indexOf(flow, edit.stepId);
      const to = from + edit.by;
      if (to < 0 || to >= steps.length) return flow;
      [steps[from], steps[to]] = [steps[to]!, steps[from]!];
      break;
    }
    case 'remove':
      if (steps.length === 1) throw new TesseraError('FLOW_INVALID', 'A flow needs at least one step: add another before removing this one.');
      steps.splice(indexOf(flow, edit.stepId), 1);
      break;
  }
  try {
    return await updateFlow(ctx, userId, flowId, { definition: { ...flow.definition, steps } }, actor);
  } catch (err) {
    // Name the step by id as well as index: the page puts the sentence on that step's form.
    const details = err instanceof TesseraError ? (err.details as { step_index?: number; step_id?: string } | undefined) : undefined;
    if (details?.step_index !== undefined) details.step_id = steps[details.step_index]?.id;
    throw err;
  }
}

/** Where a refusal points: the step id and field, when it names them. */
export function placeOf(err: unknown): { stepId: string | null; field: string | null } {
  const details = err instanceof TesseraError ? (err.details as { step_id?: string; field?: string } | undefined) : undefined;
  return { stepId: details?.step_id ?? null, field: details?.field ?? null };
}
