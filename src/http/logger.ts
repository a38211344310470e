import type { FastifyServerOptions } from 'fastify';
type DestinationStream = { write(message: string): void };

/**
 * Query parameters whose values are secrets: masked in every logged URL, also inside a bracketed
 * or percent-encoded name (`x[access_token]=`, `__proto__%5Bbearer_token%5D=`), and any value that
 * looks like a Tessera credential whatever its name.
 */
const SECRET_PARAMS = /([?&][^=&#]*?(?:access_token|bearer_token|api_key|license_key|client_secret|code|refresh_token|token|password|code_verifier|device_code|user_code|invitation)[^=&#]*=)[^&#]*/gi;
const CREDENTIAL_VALUES = /tsr_(?:at|rt|ac|dc|cs|ss|pk|tk|iv)_[0-9A-Za-z]{49}/g;

export function redactUrl(url: string): string {
  const masked = url.includes('?') ? url.replace(SECRET_PARAMS, '$1[REDACTED]') : url;
  return masked.includes('tsr_') ? masked.replace(CREDENTIAL_VALUES, '[REDACTED]') : masked;
}

/** Keys whose values are secrets wherever they appear in a logged object. */
const SECRET_KEYS = new Set(['authorization', 'cookie', 'set-cookie', 'x-auth-key', 'password', 'access_token', 'client_secret', 'license_key', 'api_key']);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * A logged object with every secret-named key masked, up to four levels deep (copies only what
 * it changes). Only plain objects are walked: requests, replies and errors go through the
 * serializers, and the request one keeps no headers. It runs per log line, not per request:
 * pino's own `redact` option ran on every request's child logger, a measurable share of the
 * license verify path.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 3 || !isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    const masked = SECRET_KEYS.has(key.toLowerCase()) ? '[REDACTED]' : maskSecrets(inner, depth + 1);
    if (masked !== inner) (copy ??= { ...value })[key] = masked;
  }
  return copy ?? value;
}

/** pino options: requests are logged without headers, secrets in URLs and objects masked; bodies are never logged. */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    formatters: { log: (object) => maskSecrets(object) as Record<string, unknown> },
    serializers: {
      req(request) {
        return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
      },
    },
  };
}
