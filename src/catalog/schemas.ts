import { Type, type TSchema } from 'typebox';

/**
 * Parameter schemas of the catalog and sales routes. Parameters arrive merged from the query and
 * any body (see mergeV2Params) and are coerced to strings; services read the values and answer a
 * FAIL with a sentence for a bad one, so the schemas stay permissive and unknown keys pass.
 */
const text = Type.Optional(Type.String());
export const params = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: true });

export const ProductParams = params({
  name: text,
  price: text,
  description: text,
  custom_permalink: text,
  currency: text,
  max_purchase_count: text,
  subscription_duration: text,
  customizable_price: text,
  require_shipping: text,
  is_licensed: text,
  activation_limit: text,
  license_file_ttl: text,
  license_file_email: text,
  price_currency_type: text,
  suggested_price_cents: text,
  custom_summary: text,
  custom_receipt: text,
  native_type: text,
  taxonomy_id: text,
  tags: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  thumbnail: Type.Optional(Type.Unknown({ description: 'Cover image: a PNG, JPEG, GIF or WebP file (multipart) or its base64; empty removes it.' })),
});
export const OfferCodeParams = params({ name: text, amount_off: text, offer_type: text, amount_cents: text, max_purchase_count: text, universal: text });
export const VariantCategoryParams = params({ title: text });
export const VariantParams = params({ name: text, description: text, price_difference_cents: text, max_purchase_count: text });
export const CustomFieldParams = params({ name: text, url: text, label: text, required: text, type: text });
export const NoParams = params({});

export const IdPath = Type.Object({ id: Type.String() });
export const ProductPath = Type.Object({ product_id: Type.String() });
export const ProductItemPath = Type.Object({ product_id: Type.String(), id: Type.String() });
export const CategoryPath = Type.Object({ product_id: Type.String(), variant_category_id: Type.String() });
export const VariantPath = Type.Object({ product_id: Type.String(), variant_category_id: Type.String(), id: Type.String() });
export const CustomFieldPath = Type.Object({ product_id: Type.String(), name: Type.String() });

/** Every reply: `success`, and the object(s) or a `message`; documented loosely so nothing is stripped. */
export const V2Reply = Type.Object({ success: Type.Boolean(), message: Type.Optional(Type.String()) }, { additionalProperties: true });

/** DELETED(x) of the contract. */
export const deleted = (what: string) => ({ success: true as const, message: `The ${what} was deleted successfully.` });
