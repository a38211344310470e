/** A one-time message of the dashboard (see migration 0013). */
export interface DashboardFlashTable {
  id: string;
  session_id: string;
  kind: string;
  /** AES-GCM of the JSON payload; null once read. */
  payload: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface WebTables {
  dashboard_flash: DashboardFlashTable;
}
