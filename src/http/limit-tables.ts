/** One shared rate-limit counter: a limiter's count for one key in one fixed window (migration 0021). */
export interface RateLimitCounterTable {
  /** The limiter's name (`login_email`, `verify_failures`, …). */
  limiter: string;
  /** HMAC of what is counted (an email, a client address, a user or client id). */
  key: string;
  /** Start of the fixed window (ms), a multiple of the window length: every node agrees on it. */
  window_start: number;
  /** window_start + the window length: pruned after. */
  expires_at: number;
  hits: number;
}

export interface RateLimitTables {
  rate_limit_counters: RateLimitCounterTable;
}
