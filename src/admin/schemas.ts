import { Type } from 'typebox';

const Limit = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null: unlimited.' });

export const CapabilitiesSchema = Type.Object({
  api_keys: Type.Boolean({ description: 'May create API keys.' }),
  flows: Type.Boolean({ description: 'May run flows.' }),
  email_step: Type.Boolean({ description: 'May use the send_email step.' }),
  http_step: Type.Boolean({ description: 'May use the http_request step.' }),
  max_flows: Limit,
  max_runs_per_day: Limit,
  max_api_keys: Limit,
});

export const AccountCapabilitiesSchema = Type.Object({
  effective: CapabilitiesSchema,
  overrides: Type.Partial(CapabilitiesSchema),
  defaults: CapabilitiesSchema,
  owner: Type.Boolean({ description: 'An instance owner may do everything.' }),
});

export const AdminAccountSchema = Type.Object({
  id: Type.String(),
  user_id: Type.String({ description: 'The public user id (Gumroad / Gumloop APIs).' }),
  email: Type.String(),
  owner: Type.Boolean(),
  disabled: Type.Boolean(),
  licenses_stopped: Type.Boolean(),
  created_at: Type.String(),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
  counts: Type.Object({ applications: Type.Integer(), api_keys: Type.Integer(), flows: Type.Integer() }),
});

export const OwnedSchema = Type.Object({
  applications: Type.Integer(),
  api_keys: Type.Integer(),
  products: Type.Integer(),
  sales: Type.Integer(),
  licenses: Type.Integer(),
  flows: Type.Integer(),
  teams: Type.Integer({ description: 'Teams the account alone is in: deleted with it.' }),
  webhooks: Type.Integer(),
  teams_left: Type.Optional(Type.Integer({ description: 'Teams with other members: they stay and pass to another member.' })),
});

export const AccountDetailSchema = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  email: Type.String(),
  owner: Type.Boolean(),
  disabled: Type.Boolean(),
  disabled_at: Type.Union([Type.String(), Type.Null()]),
  licenses_stopped: Type.Boolean(),
  created_at: Type.String(),
  capabilities: AccountCapabilitiesSchema,
  owned: OwnedSchema,
});

export const InvitationSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  invited_by: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('cancelled')]),
  created_at: Type.String(),
  expires_at: Type.String(),
  used_at: Type.Union([Type.String(), Type.Null()]),
});

export const AccountListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 254, description: 'Part of an email.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
});
export const AccountParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const DisableBody = Type.Object({
  stop_licenses: Type.Optional(Type.Boolean({ description: "Also refuse the account's licenses when its buyers verify them." })),
});
export const CapabilitiesBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40 }), {
  description: 'name → yes / no (switches), a whole number / unlimited (limits), or default.',
});
export const InviteBody = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) });

export const AccountListReply = Type.Object({
  success: Type.Literal(true),
  accounts: Type.Array(AdminAccountSchema),
  search: Type.String(),
  page: Type.Integer(),
  pages: Type.Integer(),
  total: Type.Integer(),
});
export const AccountReply = Type.Object({ success: Type.Literal(true), account: AccountDetailSchema });
export const CapabilitiesReply = Type.Object({ success: Type.Literal(true), capabilities: AccountCapabilitiesSchema });
export const DeletedReply = Type.Object({ success: Type.Literal(true), deleted: Type.Object({ id: Type.String(), email: Type.String(), removed: OwnedSchema }) });
export const InvitationReply = Type.Object({
  success: Type.Literal(true),
  invitation: InvitationSchema,
  link: Type.String({ description: 'The sign-up link: shown once, works once.' }),
  mailed: Type.Boolean(),
  mail_problem: Type.Union([Type.String(), Type.Null()]),
});
export const InvitationListReply = Type.Object({ success: Type.Literal(true), invitations: Type.Array(InvitationSchema) });
export const InvitationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const OkReply = Type.Object({ success: Type.Literal(true) });

export const SettingsBody = Type.Object(
  { require_second_factor: Type.Boolean({ description: 'Every account must set up a second factor first (TESSERA_REQUIRE_2FA=1 requires it whatever this says).' }) },
  { additionalProperties: false },
);
export const SettingsReply = Type.Object({
  success: Type.Literal(true),
  settings: Type.Object({ require_second_factor: Type.Boolean({ description: "The owner's setting." }) }),
  second_factor: Type.Object({
    required: Type.Boolean({ description: 'In force: TESSERA_REQUIRE_2FA=1 or the setting.' }),
    by_environment: Type.Boolean({ description: 'TESSERA_REQUIRE_2FA=1: the setting cannot turn it off.' }),
    accounts_without: Type.Integer({ description: 'Enabled accounts without a second factor yet.' }),
  }),
});
