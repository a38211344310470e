import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Type, type Static, type TSchema } from 'typebox';
import { TesseraError } from '../http/errors.js';
import { fileNameProblem } from './files-input.js';
import { STEP_TYPES, findStepType } from './steps/index.js';
import type { StepType } from './steps/step.js';
import { TemplateError, collectExpressions } from './template.js';

/** Names start_pipeline keeps for itself (gumloop contract §2.1): no input may use them. */
export const RESERVED_INPUT_NAMES = [
  'api_key', 'saved_item_id', 'user_id', 'project_id', 'openai_token', 'action_id', 'reuse_action', 'trigger_id', 'pipeline_inputs',
];

const Name = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', description: 'Letters, digits and _, starting with a letter or _.' });

export const FlowInputSchema = Type.Object(
  {
    name: Name,
    type: Type.Optional(
      Type.Union([Type.Literal('string'), Type.Literal('file')], {
        description: "get_inputs' data_type. A file input's value names a file uploaded with upload_file; steps read it with read_file.",
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    required: Type.Optional(Type.Boolean({ description: 'start_pipeline answers 400 without it.' })),
    default: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

function stepSchema(step: StepType): TSchema {
  return Type.Object({ id: Name, type: Type.Literal(step.type), ...step.params.properties }, { additionalProperties: false, description: step.summary });
}

/**
 * A flow: a name, declared inputs, ordered steps from the built-in library and optional named
 * outputs (templates over the steps' outputs; without them the outputs are every step's output
 * by step id). Every string in a step is a template: `{{ inputs.x }}`, `{{ steps.<id>.<field> }}`,
 * `{{ run.id }}`. Exported so the dashboard validates with the same schema (GET /api/flows/schema).
 */
export const FlowDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    inputs: Type.Optional(Type.Array(FlowInputSchema, { maxItems: 50 })),
    steps: Type.Array(Type.Union(STEP_TYPES.map(stepSchema)), { minItems: 1, maxItems: 50 }),
    outputs: Type.Optional(Type.Record(Name, Type.Unknown(), { description: 'Output name → template or value.' })),
  },
  { additionalProperties: false },
);

export type FlowInput = Static<typeof FlowInputSchema>;
export interface FlowStep {
  id: string;
  type: string;
  [param: string]: unknown;
}
export interface FlowDefinition {
  name: string;
  description?: string;
  inputs?: FlowInput[];
  steps: FlowStep[];
  outputs?: Record<string, unknown>;
}

// The whole definition minus the steps' own parameters, which are checked per step type so a
// mistake is reported against its step rather than as "must match a schema in anyOf".
const ShellSchema = Type.Object(
  { ...FlowDefinitionSchema.properties, steps: Type.Array(Type.Object({ id: Name, type: Type.String({ maxLength: 64 }) }), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
// At run time a number or boolean from a template may fill a string parameter (a subject, a URL).
const coercing = new Ajv({ allErrors: false, strict: false, coerceTypes: true, useDefaults: false });
// Compiled on first use, not at import: start-up would otherwise pay for every step type's code generation.
type Validators = Map<string, ValidateFunction>;
let compiled: { shell: ValidateFunction; steps: Validators; resolved: Validators } | undefined;
function validators() {
  return (compiled ??= {
    shell: ajv.compile(ShellSchema),
    steps: new Map(STEP_TYPES.map((s) => [s.type, ajv.compile(stepSchema(s))])),
    resolved: new Map(STEP_TYPES.map((s) => [s.type, coercing.compile(stepSchema(s))])),
  });
}

function describe(error: ErrorObject | undefined, where: string): string {
  if (!error) return `${where} is not valid`;
  const path = error.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const at = path ? `${where}${where && !path.startsWith('[') ? '.' : ''}${path}` : where;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (params.missingProperty) return `${at ? at + ': ' : ''}'${params.missingProperty}' is required`;
  if (params.additionalProperty) return `${at ? at + ': ' : ''}'${params.additionalProperty}' is not allowed`;
  return `${at || 'the flow'} ${error.message}`;
}

/**
 * Where a problem is, when it is in a step: the step's index and, when one field is at fault, its
 * name (the dashboard's step editor shows the sentence next to that field). Also in the 400 body.
 */
export interface FlowProblemPlace {
  step_index?: number;
  field?: string;
}

function invalid(message: string, place: FlowProblemPlace = {}): never {
  throw new TesseraError('FLOW_INVALID', `The flow is not valid: ${message}.`, Object.keys(place).length > 0 ? { ...place } : undefined);
}

/** The top-level field of a step an Ajv error is about (`/to` → to, missing 'to' → to). */
function fieldOf(error: ErrorObject | undefined): string | undefined {
  if (!error) return undefined;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const first = error.instancePath.split('/')[1];
  return first || params.missingProperty || params.additionalProperty || undefined;
}

function problemWith(validators: Map<string, ValidateFunction>, step: FlowStep, label: string): string | null {
  return problemAt(validators, step, label)?.message ?? null;
}

function problemAt(validators: Map<string, ValidateFunction>, step: FlowStep, label: string): { message: string; field?: string } | null {
  const validate = validators.get(step.type);
  if (!validate) return { message: `${label}: unknown step type "${step.type}" (known: ${STEP_TYPES.map((s) => s.type).join(', ')})`, field: 'type' };
  if (validate(step)) return null;
  const field = fieldOf(validate.errors?.[0]);
  return { message: describe(validate.errors?.[0], label), ...(field ? { field } : {}) };
}

/** Checks a step as saved; returns a sentence or null. */
export function stepParamsProblem(step: FlowStep, label: string): string | null {
  return problemWith(validators().steps, step, label);
}

/** Checks a step after templating, turning numbers and booleans into the strings a parameter wants (in place). */
export function resolvedStepProblem(step: FlowStep, label: string): string | null {
  return problemWith(validators().resolved, step, label);
}

function checkReferences(value: unknown, where: string, inputs: Set<string>, earlierSteps: Set<string>, place: FlowProblemPlace = {}): void {
  let expressions;
  try {
    expressions = collectExpressions(value);
  } catch (err) {
    if (err instanceof TemplateError) invalid(`${where}: ${err.message}`, place);
    throw err;
  }
  for (const e of expressions) {
    const [first] = e.path;
    if (e.root === 'inputs' && !inputs.has(first!)) invalid(`${where}: "{{ ${e.source} }}" names the undeclared input "${first}"`, place);
    if (e.root === 'steps' && !earlierSteps.has(first!)) invalid(`${where}: "{{ ${e.source} }}" names "${first}", which is not an earlier step`, place);
    if (e.root === 'run' && !['id', 'flow_id', 'user_id'].includes(first!)) invalid(`${where}: "{{ ${e.source} }}": run has id, flow_id and user_id`, place);
  }
}

/** Validates a flow before it is saved (400 with the first problem) and returns it typed. */
export function parseFlowDefinition(value: unknown): FlowDefinition {
  const validateShell = validators().shell;
  if (!validateShell(value)) {
    const error = validateShell.errors?.[0];
    const inStep = /^\/steps\/(\d+)(?:\/([^/]+))?/.exec(error?.instancePath ?? '');
    const place: FlowProblemPlace = inStep ? { step_index: Number(inStep[1]), ...(inStep[2] ? { field: inStep[2] } : {}) } : {};
    invalid(describe(error, ''), place);
  }
  const definition = value as FlowDefinition;
  const inputs = new Set<string>();
  for (const input of definition.inputs ?? []) {
    if (RESERVED_INPUT_NAMES.includes(input.name)) invalid(`the input name "${input.name}" is reserved`);
    if (inputs.has(input.name)) invalid(`the input "${input.name}" is declared twice`);
    if (input.type === 'file' && input.default !== undefined && input.default !== null) {
      const problem = fileNameProblem(input.default, `default of the file input "${input.name}"`);
      if (problem) invalid(problem.replace(/\.$/, ''));
    }
    inputs.add(input.name);
  }
  const seen = new Set<string>();
  definition.steps.forEach((step, i) => {
    const label = `steps[${i}] (${step.id})`;
    if (seen.has(step.id)) invalid(`${label}: the step id "${step.id}" is used twice`, { step_index: i, field: 'id' });
    const schemaProblem = problemAt(validators().steps, step, label);
    if (schemaProblem) invalid(schemaProblem.message, { step_index: i, ...(schemaProblem.field ? { field: schemaProblem.field } : {}) });
    const ruleProblem = findStepType(step.type)!.check?.(step) ?? null;
    if (ruleProblem) invalid(ruleProblem.startsWith(label) ? ruleProblem : `${label}: ${ruleProblem}`, { step_index: i });
    const { id: _id, type: _type, ...params } = step;
    // Field by field, so a template problem is placed at its field (the sentence is the same).
    for (const [field, param] of Object.entries(params)) checkReferences(param, label, inputs, seen, { step_index: i, field });
    seen.add(step.id);
  });
  if (definition.outputs) checkReferences(definition.outputs, 'outputs', inputs, seen);
  return definition;
}
