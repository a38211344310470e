import { Type } from 'typebox';

export const ApplicationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  redirect_uri: Type.String({ description: 'One or more absolute URLs separated by spaces.' }),
  client_id: Type.String(),
  scopes: Type.Array(Type.String(), { description: 'Scopes the application may be granted.' }),
  icon_url: Type.Union([Type.String(), Type.Null()]),
  access_token_lifetime: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const Scopes = Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })], {
  description: 'Space-separated string or array of scope names.',
});
const Icon = Type.Unsafe<unknown>({
  description: 'PNG or JPEG, at most 256 KiB: a file part (multipart), a data URL or base64 (JSON); null removes it.',
});
const Lifetime = Type.Union([Type.Integer({ minimum: 60, maximum: 315360000 }), Type.Null()], {
  description: 'Seconds an OAuth access token lives; null = never expires.',
});

export const CreateApplicationBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  redirect_uri: Type.String({ minLength: 1, maxLength: 2000 }),
  icon: Type.Optional(Icon),
  scopes: Type.Optional(Scopes),
  access_token_lifetime: Type.Optional(Lifetime),
});

export const UpdateApplicationBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  redirect_uri: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  icon: Type.Optional(Icon),
  scopes: Type.Optional(Scopes),
  access_token_lifetime: Type.Optional(Lifetime),
});

export const GenerateTokenBody = Type.Object({
  scopes: Type.Optional(Scopes),
  expires_in: Type.Optional(Type.Union([Type.Integer({ minimum: 60, maximum: 315360000 }), Type.Null()], { description: 'Seconds; omit for a token that never expires.' })),
});

export const ApplicationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ApplicationReply = Type.Object({ success: Type.Literal(true), application: ApplicationSchema });
export const CreatedApplicationReply = Type.Object({
  success: Type.Literal(true),
  application: ApplicationSchema,
  client_secret: Type.String({ description: 'Shown once: only its hash is stored.' }),
});
export const ApplicationListReply = Type.Object({ success: Type.Literal(true), applications: Type.Array(ApplicationSchema) });
export const DeletedApplicationReply = Type.Object({ success: Type.Literal(true), deleted: Type.Literal(true), revoked_tokens: Type.Integer() });
export const SecretReply = Type.Object({ success: Type.Literal(true), client_secret: Type.String() });
export const TokenReply = Type.Object({
  success: Type.Literal(true),
  access_token: Type.String({ description: 'Shown once. Generating again invalidates it.' }),
  token: Type.Object({
    id: Type.String(),
    scopes: Type.Array(Type.String()),
    created_at: Type.String(),
    expires_at: Type.Union([Type.String(), Type.Null()]),
  }),
});
