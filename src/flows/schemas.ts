import { Type } from 'typebox';

const Owner = Type.Object({ type: Type.Union([Type.Literal('user'), Type.Literal('team')]), id: Type.String() });
const RunState = Type.Union([
  Type.Literal('STARTED'),
  Type.Literal('QUEUED'),
  Type.Literal('RUNNING'),
  Type.Literal('DONE'),
  Type.Literal('FAILED'),
  Type.Literal('TERMINATING'),
  Type.Literal('TERMINATED'),
]);

export const FlowSchema = Type.Object({
  id: Type.String({ description: 'The `saved_item_id` of the flows API.' }),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  owner: Owner,
  workbook_id: Type.String(),
  definition: Type.Unknown({ description: 'The FlowDefinition (GET /api/flows/schema).' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const WorkbookSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  is_default: Type.Boolean(),
  owner: Owner,
  created_at: Type.String(),
});

export const RunSchema = Type.Object({
  run_id: Type.String(),
  saved_item_id: Type.String(),
  user_id: Type.String(),
  state: RunState,
  inputs: Type.Record(Type.String(), Type.Unknown()),
  outputs: Type.Record(Type.String(), Type.Unknown()),
  log: Type.Array(Type.String()),
  created_ts: Type.String(),
  finished_ts: Type.Union([Type.String(), Type.Null()]),
});

const Id = Type.String({ minLength: 1, maxLength: 64 });
export const FlowParams = Type.Object({ id: Id });
export const RunParams = Type.Object({ id: Id, runId: Id });
export const TeamQuery = Type.Object({ team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "A team's instead of your own." })) });

export const CreateFlowBody = Type.Object({
  team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Make a team flow (owners and admins).' })),
  workbook_id: Type.Optional(Id),
  definition: Type.Unknown({ description: 'A FlowDefinition; see GET /api/flows/schema.' }),
});
export const UpdateFlowBody = Type.Object({ workbook_id: Type.Optional(Id), definition: Type.Optional(Type.Unknown()) });
export const StartRunBody = Type.Object({ inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });
export const WebhookBody = Type.Object({
  key_id: Id,
  api_key: Type.Optional(Type.String({ maxLength: 200, description: 'The key itself, to have it in the URL.' })),
  password: Type.Optional(Type.String({ maxLength: 1024, description: 'Your password, to reveal a recoverable key into the URL (audited).' })),
});
export const CreateWorkbookBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const FlowReply = Type.Object({ success: Type.Literal(true), flow: FlowSchema });
export const FlowListReply = Type.Object({ success: Type.Literal(true), flows: Type.Array(FlowSchema) });
export const RunReply = Type.Object({ success: Type.Literal(true), run: RunSchema });
export const RunListReply = Type.Object({ success: Type.Literal(true), runs: Type.Array(RunSchema) });
export const WorkbookReply = Type.Object({ success: Type.Literal(true), workbook: WorkbookSchema });
export const WorkbookListReply = Type.Object({ success: Type.Literal(true), workbooks: Type.Array(WorkbookSchema) });
export const WebhookReply = Type.Object({
  success: Type.Literal(true),
  url: Type.String({ description: 'POST here with a JSON body; the key is in the URL (or a placeholder).' }),
  header_url: Type.String({ description: 'The same without the key, for Authorization: Bearer.' }),
  authorization: Type.String(),
  includes_key: Type.Boolean(),
});
