import { Type } from 'typebox';
import { params } from '../catalog/schemas.js';

const text = Type.Optional(Type.String());
const map = Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String()]));

export const SalesQuery = params({ after: text, before: text, product_id: text, email: text, order_id: text, license_key: text, page_key: text, page: text });
export const ShipParams = params({ tracking_url: text });
export const RefundParams = params({ amount_cents: text });
export const PurchaseParams = params({
  product: text,
  product_id: text,
  product_permalink: text,
  email: text,
  full_name: text,
  price: text,
  quantity: text,
  offer_code: text,
  variants: map,
  custom_fields: map,
});
export const SubscribersQuery = params({ email: text, paginated: text, page_key: text });
