import { Type } from 'typebox';

// Parameters are read raw (strings, or JSON values): a number or a list where text belongs is the
// contract's own 400 ("The 'x' parameter must be a string."), so these schemas document and never coerce.
const param = (description: string) => Type.Optional(Type.Unknown({ description }));

const LicenseRefProperties = {
  license_key: param('The key the buyer entered; exact, case-sensitive.'),
  product_id: param("The product's id (recommended)."),
  product_permalink: param("The product's unique or custom permalink, any case; used when product_id is blank."),
  access_token: param('Or `Authorization: Bearer`; needs edit_products.'),
};

export const VerifyParams = Type.Object(
  {
    license_key: LicenseRefProperties.license_key,
    product_id: LicenseRefProperties.product_id,
    product_permalink: LicenseRefProperties.product_permalink,
    id: param('Legacy alias of product_permalink (takes precedence).'),
    link_id: param('Legacy alias of product_permalink (after id).'),
    increment_uses_count: param('Counts a use unless false, "false", "0", "no" or "off".'),
  },
  { additionalProperties: true },
);

export const ManageParams = Type.Object(LicenseRefProperties, { additionalProperties: true });

export const RotateParams = Type.Object(
  { ...LicenseRefProperties, grace_period: param('Seconds (0 to 604800) during which the old key still verifies, with `rotated: true`.') },
  { additionalProperties: true },
);

export const LicenseAnswerReply = Type.Object(
  {
    success: Type.Literal(true),
    uses: Type.Integer(),
    purchase: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The sale (contract §4.3).' })),
    imported_customer: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'For keys of imported customers.' })),
    rotated: Type.Optional(Type.Literal(true, { description: 'The key was rotated; it verifies until grace_ends_at.' })),
    grace_ends_at: Type.Optional(Type.String()),
    re_enabled: Type.Optional(Type.Literal(true, { description: 'Rotate only: the license was disabled; the new key is enabled.' })),
  },
  { additionalProperties: true },
);

export const LicenseFailure = Type.Object(
  { success: Type.Literal(false), message: Type.String(), error: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

export const HistoryParams = Type.Object({ license_id: Type.String({ minLength: 1, maxLength: 100 }) });

export const HistoryReply = Type.Object({
  success: Type.Literal(true),
  license_id: Type.String(),
  verifications: Type.Array(Type.Object({ day: Type.String(), succeeded: Type.Integer(), refused: Type.Integer() })),
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      occurred_at: Type.String(),
      action: Type.String({ description: 'license.issued, license.imported, license.enabled, license.disabled, license.uses_decremented, license.rotated' }),
      actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
      target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
      ip: Type.Union([Type.String(), Type.Null()]),
      metadata: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});
