import { Type } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Iso = Type.String({ description: 'ISO 8601, UTC.' });

export const TriggerSchema = Type.Object({
  id: Type.String(),
  flow_id: Type.String(),
  kind: Type.Union([Type.Literal('schedule'), Type.Literal('event')]),
  cron: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.Union([Type.String(), Type.Null()]),
  event: Type.Union([Type.String(), Type.Null()]),
  summary: Type.String(),
  next_due: Type.Array(Iso, { description: 'A schedule’s next three due times; [] for an event.' }),
  last_fire: Type.Union([
    Type.Object({
      at: Iso,
      run_id: Type.Union([Type.String(), Type.Null()]),
      state: Type.String({ description: 'The run’s state, or PENDING / NOT STARTED before it has one.' }),
      error: Type.Union([Type.String(), Type.Null()]),
      missed: Type.Integer({ description: 'Due times skipped (downtime) before this one.' }),
    }),
    Type.Null(),
  ]),
  created_at: Iso,
});

export const TriggerParams = Type.Object({ id: Id, triggerId: Id });

export const CreateTriggerBody = Type.Object({
  kind: Type.Union([Type.Literal('schedule'), Type.Literal('event')], { description: 'A schedule (cron) or a Tessera event.' }),
  cron: Type.Optional(Type.String({ maxLength: 200, description: 'Schedule: five cron fields (minute hour day-of-month month day-of-week) or @daily, @hourly, …' })),
  timezone: Type.Optional(Type.String({ maxLength: 64, description: 'Schedule: an IANA timezone the cron fields are read in (default UTC).' })),
  event: Type.Optional(Type.String({ maxLength: 64, description: 'Event: sale, refund, license_rotated, license_disabled, …' })),
});

export const SchedulePreviewQuery = Type.Object({
  cron: Type.String({ maxLength: 200 }),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
});

export const TriggerReply = Type.Object({ success: Type.Literal(true), trigger: TriggerSchema });
export const TriggerListReply = Type.Object({ success: Type.Literal(true), triggers: Type.Array(TriggerSchema) });
export const SchedulePreviewReply = Type.Object({ success: Type.Literal(true), cron: Type.String(), timezone: Type.String(), next_due: Type.Array(Iso) });
