import type { Selectable } from 'kysely';

export type SubscriptionDuration = 'monthly' | 'quarterly' | 'biannually' | 'yearly' | 'every_two_years';

export interface ProductTable {
  id: string;
  /** The id clients see (`product_id`), Gumroad-style URL-safe base64. */
  external_id: string;
  seller_id: string;
  name: string;
  description: string;
  /** Short random lowercase permalink, unique across the server. */
  unique_permalink: string;
  /** The seller's own permalink; unique per seller regardless of case. */
  custom_permalink: string | null;
  /** Default price in the currency's smallest unit. */
  price: number;
  currency: string;
  published: number;
  /** 1 when each purchase gets a license key. */
  is_licensed: number;
  subscription_duration: SubscriptionDuration | null;
  /** 1 for pay-what-you-want. */
  customizable_price: number;
  max_purchase_count: number | null;
  require_shipping: number;
  /** JSON array of strings. */
  tags: string;
  /** Gumroad's settings kept as given (migration 0014): shown in the product object. */
  suggested_price_cents: number | null;
  custom_summary: string | null;
  custom_receipt: string | null;
  /** digital, course, ebook, membership, physical, … (Gumroad's native types). */
  native_type: string;
  taxonomy_id: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface VariantCategoryTable {
  id: string;
  external_id: string;
  product_id: string;
  title: string;
  created_at: number;
  deleted_at: number | null;
}

export interface VariantTable {
  id: string;
  external_id: string;
  variant_category_id: string;
  name: string;
  description: string;
  price_difference_cents: number;
  max_purchase_count: number | null;
  created_at: number;
  deleted_at: number | null;
}

export interface OfferCodeTable {
  id: string;
  external_id: string;
  seller_id: string;
  /** Null for universal codes (every product of the seller in `currency`). */
  product_id: string | null;
  /** The code a buyer types at checkout. */
  name: string;
  /** Exactly one of amount_cents / percent_off is set. */
  amount_cents: number | null;
  percent_off: number | null;
  currency: string;
  max_purchase_count: number | null;
  universal: number;
  created_at: number;
  deleted_at: number | null;
}

export type CustomFieldType = 'text' | 'checkbox' | 'terms' | 'long_text' | 'file';

export interface CustomFieldTable {
  id: string;
  external_id: string;
  seller_id: string;
  name: string;
  type: CustomFieldType;
  required: number;
  /** 1 when the field applies to every product of the seller. */
  global: number;
  collect_per_product: number;
  created_at: number;
}

/** Which products a custom field is attached to. */
export interface ProductCustomFieldTable {
  product_id: string;
  custom_field_id: string;
}

/** A product's cover image (migration 0015): PNG, JPEG, GIF or WebP bytes, kept in the database. */
export interface ProductCoverTable {
  product_id: string;
  content_type: string;
  size: number;
  content: Buffer;
  updated_at: number;
}

/** A product's licensing settings; no row = unlimited activations, default file TTL, no email. */
export interface ProductLicenseSettingsTable {
  product_id: string;
  /** Seats per license; null = unlimited. */
  activation_limit: number | null;
  /** Seconds a license file is valid; null = TESSERA_LICENSE_FILE_TTL. */
  license_file_ttl: number | null;
  /** 1: license files carry the buyer's email. */
  license_file_email: number;
}

export interface CatalogTables {
  products: ProductTable;
  product_covers: ProductCoverTable;
  variant_categories: VariantCategoryTable;
  variants: VariantTable;
  offer_codes: OfferCodeTable;
  custom_fields: CustomFieldTable;
  product_custom_fields: ProductCustomFieldTable;
  product_license_settings: ProductLicenseSettingsTable;
}

export type ProductRow = Selectable<ProductTable>;
export type VariantCategoryRow = Selectable<VariantCategoryTable>;
export type VariantRow = Selectable<VariantTable>;
export type OfferCodeRow = Selectable<OfferCodeTable>;
export type CustomFieldRow = Selectable<CustomFieldTable>;
