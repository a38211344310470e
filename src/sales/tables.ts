import type { Selectable } from 'kysely';

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
}

/** A webhook registration of an OAuth application (stored now, delivered in a later issue). */
export interface ResourceSubscriptionTable {
  id: string;
  external_id: string;
  user_id: string;
  application_id: string;
  resource_name: string;
  post_url: string;
  created_at: number;
  deleted_at: number | null;
}

export interface SalesTables {
  purchases: PurchaseTable;
  subscriptions: SubscriptionTable;
  resource_subscriptions: ResourceSubscriptionTable;
}

export type PurchaseRow = Selectable<PurchaseTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type ResourceSubscriptionRow = Selectable<ResourceSubscriptionTable>;
