/**
 * How long the server waits for a client (issue 11.6). A body sent one byte at a time, or a
 * connection that never sends anything, is closed instead of being held forever.
 */
export interface HttpTimeouts {
  /** Whole request, headers and body, must arrive within this (ms); Node answers 408 and closes. */
  requestMs: number;
  /** A socket with no traffic at all is closed after this (ms). */
  connectionMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveMs: number;
}

function positiveMs(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number of milliseconds, got "${value}"`);
  return n;
}

export function loadHttpTimeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  return {
    requestMs: positiveMs(env.TESSERA_REQUEST_TIMEOUT_MS, 30_000, 'TESSERA_REQUEST_TIMEOUT_MS'),
    connectionMs: positiveMs(env.TESSERA_CONNECTION_TIMEOUT_MS, 60_000, 'TESSERA_CONNECTION_TIMEOUT_MS'),
    keepAliveMs: positiveMs(env.TESSERA_KEEP_ALIVE_TIMEOUT_MS, 5_000, 'TESSERA_KEEP_ALIVE_TIMEOUT_MS'),
  };
}

/** Fastify's options for these timeouts. */
export function fastifyTimeoutOptions(t: HttpTimeouts) {
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.connectionMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      // Headers count against the same budget as the whole request.
      headersTimeout: t.requestMs,
      // Node checks request and header deadlines on this interval (30 s by default): check often
      // enough that a deadline holds to within a quarter of itself.
      connectionsCheckingInterval: Math.min(30_000, Math.max(25, Math.floor(t.requestMs / 4))),
    },
  };
}
