import { Type } from 'typebox';
import { API_KEY_SCOPES } from './scopes.js';

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('personal'), Type.Literal('team')]),
  team_id: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  hint: Type.String({ description: 'The first characters only.' }),
  scopes: Type.Array(Type.String()),
  recoverable: Type.Boolean({ description: 'The key can be revealed again with your password.' }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  previous_valid_until: Type.Union([Type.String(), Type.Null()], { description: 'Until when the secret replaced by the last regeneration still works.' }),
});

const Scope = Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s)));

export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Make a team key (owners and admins).' })),
  scopes: Type.Optional(Type.Array(Scope, { maxItems: 5, description: 'Default: flows:run (which implies flows:read).' })),
  expires_in: Type.Optional(Type.Union([Type.Integer({ minimum: 60, maximum: 315360000 }), Type.Null()], { description: 'Seconds; omit for a key that never expires.' })),
});
export const ListApiKeysQuery = Type.Object({
  team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "A team's keys instead of your personal keys." })),
});
export const RegenerateBody = Type.Object({
  grace_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'How long the old secret keeps working (default 0: it dies at once).' })),
});
export const RevealBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) });
export const SettingsBody = Type.Object({ recoverable_keys: Type.Boolean() });
export const KeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const IssuedKeyReply = Type.Object({
  success: Type.Literal(true),
  api_key: Type.String({ description: 'Shown once, unless the key is recoverable.' }),
  key: ApiKeySchema,
});
export const ApiKeyListReply = Type.Object({
  success: Type.Literal(true),
  api_user_id: Type.String({ description: 'Your `user_id` for the flows API.' }),
  keys: Type.Array(ApiKeySchema),
});
export const RevealReply = Type.Object({ success: Type.Literal(true), api_key: Type.String() });
export const SettingsReply = Type.Object({ success: Type.Literal(true), api_user_id: Type.String(), recoverable_keys: Type.Boolean() });
export const RevokedReply = Type.Object({ success: Type.Literal(true), revoked: Type.Literal(true) });
