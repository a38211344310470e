import { Type } from 'typebox';

export const Credentials = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254, description: 'The account email.' }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const SignUpBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 8, maxLength: 1024, description: 'At least 8 characters, and not one of the 10,000 most common passwords.' }),
  invitation: Type.Optional(Type.String({ maxLength: 200, description: "The invitation link's token, when the sign-up policy is invite (docs/accounts.md)." })),
});

export const UserReply = Type.Object({
  success: Type.Literal(true),
  user: Type.Object({ id: Type.String(), email: Type.String() }),
});

export const SecondFactorBody = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 64, description: 'The 6-digit code of the authenticator app, or a recovery code.' })),
  passkey: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'A WebAuthn authentication response (from @simplewebauthn/browser).' })),
});
