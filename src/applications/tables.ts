import type { Selectable } from 'kysely';

export interface ApplicationTable {
  id: string;
  owner_id: string;
  name: string;
  redirect_uri: string;
  client_id: string;
  client_secret_hash: string;
  /** Scopes the application may be granted, space-separated. */
  scopes: string;
  icon_type: string | null;
  icon_data: string | null;
  /** Seconds an OAuth access token lives; null = never expires (Gumroad's behaviour). */
  access_token_lifetime: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ApplicationTables {
  applications: ApplicationTable;
}

export type ApplicationRow = Selectable<ApplicationTable>;
