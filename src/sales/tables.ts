import type { ColumnType, Selectable } from 'kysely';

/** A nullable column added later: optional when inserting. */
type LaterNullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface PurchaseTable {
  id: string;
  /** The sale id clients see. */
  external_id: string;
  seller_id: string;
  product_id: string;
  email: string;
  full_name: string | null;
  /** Total paid, in the currency's smallest unit. */
  price: number;
  quantity: number;
  currency: string;
  /** JSON object {category title: option name}. */
  variants: string;
  /** JSON object {field name: value}. */
  custom_fields: string;
  offer_code_id: string | null;
  /** The integer `order_id` of the sale, unique; also the numeric part of page keys. */
  order_number: number;
  refunded: number;
  refunded_amount_cents: number;
  chargebacked: number;
  disputed: number;
  /** The seller won the dispute (webhooks: `dispute_won`). */
  dispute_won: number;
  access_revoked_at: number | null;
  shipped: number;
  tracking_url: string | null;
  /** subscriptions.id of a subscription product's purchase. */
  subscription_id: string | null;
  subscription_ended_at: number | null;
  subscription_cancelled_at: number | null;
  subscription_failed_at: number | null;
  /** 1 for customers imported from a CSV (with their existing license keys). */
  is_imported: number;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionTable {
  id: string;
  external_id: string;
  seller_id: string;
  product_id: string;
  /** The purchase that started it; its subscription_*_at columns hold the state. */
  original_purchase_id: string;
  recurrence: string;
  user_requested_cancellation_at: number | null;
  created_at: number;
  /** Who cancelled: 'seller', 'buyer' or 'admin' (the cancellation webhook says so). */
  cancelled_by: LaterNullable<string>;
  /** Why it ended: 'cancelled', 'failed_payment' or 'fixed_subscription_period_ended'. */
  ended_reason: LaterNullable<string>;
}

export interface SalesTables {
  purchases: PurchaseTable;
  subscriptions: SubscriptionTable;
}

export type PurchaseRow = Selectable<PurchaseTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
