import { Type } from 'typebox';
import { params } from '../catalog/schemas.js';

const text = Type.Optional(Type.String());

export const DeliveryPath = Type.Object({ id: Type.String(), delivery_id: Type.String() });
export const DeliveriesQuery = params({ page_key: text });
export const RotateSecretParams = params({ grace_period: text });
export const CancelParams = params({ cancelled_by: text, cancelled_at: text });
export const EndParams = params({ reason: text });
export const UpdateSubscriptionParams = params({ recurrence: text, price_cents: text, quantity: text, tier: text, type: text, effective_as_of: text });
export const ResourceSubscriptionParams = params({ resource_name: text, post_url: text });
