import type { FastifyServerOptions } from 'fastify';
type DestinationStream = { write(message: string): void };

/** Query parameters whose values are secrets: masked in every logged URL. */
const SECRET_PARAMS = /([?&](?:access_token|bearer_token|api_key|license_key|client_secret|code|refresh_token|token|password|code_verifier|device_code|user_code)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[REDACTED]');
}

/** pino options: secrets in headers are redacted, secrets in URLs masked; bodies are never logged. */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-auth-key"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.access_token',
        '*.client_secret',
        '*.license_key',
        '*.api_key',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req(request) {
        return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
      },
    },
  };
}
