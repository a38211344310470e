/**
 * The one catalogue of failures. Services throw `new TesseraError('CODE')`; only the error
 * handler (./error-handler.ts) turns a code into a status, headers and a body. A resource of
 * another account uses the same code as a missing one, so it is indistinguishable (404).
 */
interface ErrorSpec {
  status: number;
  message: string;
  /** Body for the contract's shape; default `{success:false, error:<code>, message}`. */
  body?: (message: string) => Record<string, unknown>;
  headers?: (message: string) => Record<string, string>;
}

const bearer = (message: string) => ({
  'www-authenticate': `Bearer error="invalid_token", error_description="${message}"`,
  'cache-control': 'no-store, no-cache',
});
const tokenBody = (message: string) => ({ success: false, error: message, message });
/** Gumroad's FAIL(message): HTTP 200 with success false (clients rely on it). */
const fail = (message: string) => ({ success: false, message });

export const ERRORS = {
  // --- generic
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as JSON, form-urlencoded or multipart/form-data.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  CROSS_SITE_REQUEST: { status: 403, message: 'Cross-site requests are not allowed.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },

  // --- sessions and accounts (/api)
  SESSION_REQUIRED: { status: 401, message: 'Log in first: this endpoint needs a session.' },
  INVALID_LOGIN: { status: 401, message: 'Wrong email or password.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  USER_NOT_FOUND: { status: 404, message: 'No user with this email.' },

  // --- applications (/api/applications)
  APPLICATION_NOT_FOUND: {
    status: 404,
    message: "Application not found or you don't have the permissions to modify it.",
  },
  INVALID_ICON: { status: 400, message: 'Invalid image type for icon, please try again.' },
  INVALID_SCOPES: { status: 400, message: 'Unknown scope.' },
  TOKEN_NOT_FOUND: { status: 404, message: 'Access token not found.' },

  // --- v2 token authentication (contract, Tessera's decisions 2 and 3)
  TOKEN_INVALID: { status: 401, message: 'The access token is invalid', body: tokenBody, headers: bearer },
  TOKEN_REVOKED: { status: 401, message: 'The access token was revoked', body: tokenBody, headers: bearer },
  TOKEN_EXPIRED: { status: 401, message: 'The access token expired', body: tokenBody, headers: bearer },
  SCOPE_MISSING: { status: 403, message: 'This endpoint requires the view_public scope.', body: fail },
} satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds, sent as Retry-After (429). */
  retryAfter: number | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
  }

  static rateLimited(seconds: number, message = `Too many requests. Try again in ${seconds} seconds.`): TesseraError {
    const error = new TesseraError('RATE_LIMITED', message);
    error.retryAfter = seconds;
    return error;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  /** Status, headers and body exactly as the client sees them. */
  toResponse(): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
    const spec: ErrorSpec = ERRORS[this.code];
    const body = spec.body
      ? spec.body(this.message)
      : { success: false, error: this.code.toLowerCase(), message: this.message, ...this.details };
    const headers = spec.headers?.(this.message) ?? {};
    if (this.retryAfter !== undefined) headers['retry-after'] = String(this.retryAfter);
    return { status: spec.status, headers, body };
  }
}
