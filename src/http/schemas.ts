import { Type } from 'typebox';

/** The session JSON API's error body (`{success:false, error, message}`), every domain's routes use it. */
export const ErrorReply = Type.Object(
  { success: Type.Literal(false), error: Type.Optional(Type.String()), message: Type.String() },
  { additionalProperties: true },
);
