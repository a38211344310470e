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
/** Gumroad's E400 on sales filters: `{status, error}`, plus success and message (contract §7.8). */
const e400 = (message: string) => ({ status: 400, error: message, success: false, message });

/** RFC 6749 §5.2 error body; token endpoint answers are never cached (§5.1). */
const oauth = (error: string) => (message: string) => ({ error, error_description: message });
const noStore = () => ({ 'cache-control': 'no-store', pragma: 'no-cache' });

/** Gumloop's v1 shape (gumloop contract, Tessera's decision 3): `{error, message}`, no success flag. */
const gumloop = (error: string) => (message: string) => ({ error, message });

export const ERRORS = {
  // --- generic
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  CROSS_SITE_REQUEST: { status: 403, message: 'Cross-site requests are not allowed.' },

  // --- sessions and accounts (/api)
  SESSION_REQUIRED: { status: 401, message: 'Log in first: this endpoint needs a session.' },
  INVALID_LOGIN: { status: 401, message: 'Wrong email or password.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  USER_NOT_FOUND: { status: 404, message: 'No user with this email.' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled. Ask the owner of this Tessera server to enable it again.' },

  // --- instance owner, sign-up policy and capabilities (src/admin)
  SIGNUP_CLOSED: { status: 403, message: 'Sign-up is closed on this server. Ask its owner to create an account for you.' },
  SIGNUP_INVITATION_REQUIRED: { status: 403, message: 'Sign-up on this server is by invitation only. Ask its owner for an invitation link.' },
  INVITATION_INVALID: {
    status: 403,
    message: 'This invitation link is not valid any more: it was already used, cancelled, or it expired. Ask the owner for a new one.',
  },
  INVITATION_EMAIL_MISMATCH: { status: 403, message: 'This invitation is for another email address. Sign up with the address it was sent to.' },
  INVITATION_NOT_FOUND: { status: 404, message: 'Invitation not found.' },
  ACCOUNT_NOT_FOUND: { status: 404, message: 'Account not found.' },
  OWNER_PROTECTED: {
    status: 409,
    message: 'An instance owner cannot be disabled or deleted. Revoke its ownership first (tessera admin revoke).',
  },
  LAST_OWNER: { status: 409, message: 'This server needs at least one owner: grant ownership to another account first.' },
  /** Thrown with the sentence naming the capability; the body also carries `capability`. */
  CAPABILITY_MISSING: { status: 403, message: 'Your account may not do this: the owner of this Tessera server turned it off.' },
  /** Thrown with the reason (too short, too long, too common): src/accounts/password-policy.ts. */
  PASSWORD_REJECTED: { status: 400, message: 'Choose another password.' },
  SECOND_FACTOR_REQUIRED: { status: 401, message: 'Your password was right: now enter the code from your authenticator app, or use your passkey.' },
  SECOND_FACTOR_INVALID: { status: 401, message: 'That code is not right, or it was already used. Enter the current code from your authenticator app, or a recovery code.' },
  LOGIN_CHALLENGE_EXPIRED: { status: 401, message: 'This sign-in took too long or was already finished. Sign in again with your password.' },
  SECOND_FACTOR_STALE: { status: 403, message: 'Confirm it is you first: this action needs your second factor from the last few minutes.' },
  SECOND_FACTOR_SETUP_REQUIRED: { status: 403, message: 'The owner of this server requires a second factor: set up an authenticator app or a passkey under Security first.' },
  LAST_SECOND_FACTOR: { status: 409, message: 'The owner of this server requires a second factor: add another one before removing this one.' },
  TOTP_SETUP_MISSING: { status: 409, message: 'Start the authenticator set-up again: no set-up is waiting for a code.' },
  PASSKEY_INVALID: { status: 400, message: 'The passkey could not be verified. Try again.' },
  PASSKEY_NOT_FOUND: { status: 404, message: 'Passkey not found.' },
  SESSION_NOT_FOUND: { status: 404, message: 'Session not found.' },
  RESET_LINK_INVALID: { status: 400, message: 'This password-reset link is not valid any more: it was already used, or it expired. Ask for a new one.' },
  VERIFICATION_LINK_INVALID: { status: 400, message: 'This verification link is not valid any more: it was already used, or it expired. Ask for a new one from Security.' },

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
  TOKEN_ACCOUNT_DISABLED: { status: 401, message: 'The account this access token acts for is disabled', body: tokenBody, headers: bearer },
  SCOPE_MISSING: { status: 403, message: 'This endpoint requires the view_public scope.', body: fail },

  // --- catalog and sales (API v2 §3): FAIL keeps Gumroad's HTTP 200; E400 is {status:400, error} plus success/message (§7.8)
  PRODUCT_NOT_FOUND: { status: 200, message: 'The product was not found.', body: fail },
  OFFER_CODE_NOT_FOUND: { status: 200, message: 'The offer_code was not found.', body: fail },
  VARIANT_CATEGORY_NOT_FOUND: { status: 200, message: 'The variant_category was not found.', body: fail },
  VARIANT_NOT_FOUND: { status: 200, message: 'The variant was not found.', body: fail },
  CUSTOM_FIELD_NOT_FOUND: { status: 200, message: 'The custom_field was not found.', body: fail },
  SALE_NOT_FOUND: { status: 200, message: 'The sale was not found.', body: fail },
  SUBSCRIBER_NOT_FOUND: { status: 200, message: 'The subscriber was not found.', body: fail },
  RESOURCE_SUBSCRIPTION_NOT_FOUND: { status: 200, message: 'The resource_subscription was not found.', body: fail },
  /** A bad value on a catalog route, thrown with the sentence the client sees. */
  CATALOG_INVALID: { status: 200, message: 'The request could not be completed.', body: fail },
  OFFER_CODE_PARAMS_MISSING: {
    status: 200,
    message: 'You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters.',
    body: fail,
  },
  CUSTOM_FIELD_NOT_CREATED: { status: 200, message: 'The custom_field was unable to be created.', body: fail },
  SALE_ALREADY_REFUNDED: { status: 200, message: 'Purchase is already refunded.', body: fail },
  RESOURCE_NAME_REQUIRED: { status: 200, message: 'Valid resource_name parameter required', body: fail },
  /** A bad sales / subscribers filter, thrown with the contract's sentence. */
  SALES_PARAM_INVALID: { status: 400, message: 'Invalid parameter.', body: e400 },

  // --- dashboard (src/web)
  CSRF_TOKEN_INVALID: { status: 403, message: 'This form has expired or did not come from Tessera. Reload the page and try again.' },

  // --- License API (/v2/licenses: contract §4, Tessera's decision 5)
  LICENSE_NOT_FOUND: { status: 404, message: 'That license does not exist for the provided product.', body: fail },
  /** enable / disable / decrement / rotate / events: unknown, foreign and wrong-product licenses alike. */
  LICENSE_NOT_FOUND_FOR_SELLER: {
    status: 404,
    message: 'That license does not exist for the provided product.',
    body: (message: string) => ({ success: false, message, error: 'Not found' }),
  },
  /** Thrown with the sentence naming the product's id (Gumroad answers 500 here; decision 5: 400). */
  LICENSE_PRODUCT_ID_REQUIRED: { status: 400, message: "The 'product_id' parameter is required to verify the license for this product.", body: fail },
  LICENSE_ACCESS_REVOKED: { status: 404, message: 'Access to the purchase associated with this license has expired.', body: fail },
  LICENSE_DISABLED: { status: 404, message: 'This license key has been disabled.', body: fail },
  /** Thrown with "The '<name>' parameter must be a string." or the grace_period sentence. */
  LICENSE_PARAMETER_INVALID: { status: 400, message: 'A parameter is not valid.', body: fail },
  /** The server's verify queue is full (TESSERA_LICENSE_VERIFY_QUEUE_LIMIT): thrown with Retry-After. */
  LICENSE_VERIFY_BUSY: { status: 503, message: 'Too many license verifications are waiting on this server. Try again in a second.', body: fail },
  LICENSE_IMPORT_INVALID: { status: 400, message: 'The CSV file is not valid; nothing was imported.' },
  /** Activations and license files (src/licenses/activation-*.ts, license-file-*.ts). */
  LICENSE_INSTANCE_NOT_FOUND: { status: 404, message: 'That instance does not exist for this license.', body: (message: string) => ({ success: false, message, error: 'Not found' }) },

  // --- teams, API keys and flows (session JSON API: /api/teams, /api/api-keys, /api/flows)
  TEAM_NOT_FOUND: { status: 404, message: 'Team not found.' },
  TEAM_ROLE_REQUIRED: { status: 403, message: 'Only team owners and admins can do this.' },
  TEAM_MEMBER_EXISTS: { status: 409, message: 'This user is already a member of the team.' },
  TEAM_MEMBER_NOT_FOUND: { status: 404, message: 'This user is not a member of the team.' },
  TEAM_LAST_OWNER: { status: 409, message: 'A team needs at least one owner.' },
  TEAM_INVITATION_NOT_FOUND: { status: 404, message: 'Invitation not found.' },
  TEAM_INVITATION_EXISTS: { status: 409, message: 'This email already has a pending invitation to the team: cancel it to invite again.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'API key not found.' },
  API_KEY_NOT_RECOVERABLE: {
    status: 409,
    message: 'This key was created while "recoverable keys" was off, so it cannot be shown again. Regenerate it instead.',
  },
  PASSWORD_INCORRECT: { status: 403, message: 'The password is not correct.' },
  FLOW_NOT_FOUND: { status: 404, message: 'Flow not found.' },
  FLOW_INVALID: { status: 400, message: 'The flow definition is not valid.' },
  FLOW_INPUT_INVALID: { status: 400, message: 'The inputs do not match the flow.' },
  WORKBOOK_NOT_FOUND: { status: 404, message: 'Workbook not found.' },
  RUN_NOT_FOUND: { status: 404, message: 'Run not found.' },
  RUN_QUEUE_FULL: { status: 429, message: 'Too many runs are waiting for this account. Try again later.' },
  TRIGGER_NOT_FOUND: { status: 404, message: 'Trigger not found.' },
  TRIGGER_INVALID: { status: 400, message: 'The trigger is not valid.' },

  // --- Gumloop-compatible flows API (/api/v1; gumloop contract, Tessera's decisions 2 and 3, §6.5)
  GUMLOOP_KEY_INVALID: { status: 401, message: 'The API key is missing, malformed or unknown.', body: gumloop('Unauthorized') },
  GUMLOOP_KEY_REVOKED: { status: 401, message: 'The API key was revoked or regenerated.', body: gumloop('Unauthorized') },
  GUMLOOP_KEY_EXPIRED: { status: 401, message: 'The API key expired.', body: gumloop('Unauthorized') },
  GUMLOOP_ACCOUNT_DISABLED: { status: 401, message: "The API key's account is disabled by the owner of this server.", body: gumloop('Unauthorized') },
  GUMLOOP_MEMBER_DISABLED: { status: 403, message: 'The user_id names a disabled account.', body: gumloop('Forbidden') },
  GUMLOOP_USER_ID_REQUIRED: { status: 400, message: 'A team API key needs the user_id of the team member it acts for.', body: gumloop('Bad Request') },
  GUMLOOP_PERSONAL_KEY_USER: {
    status: 403,
    message: "A personal API key acts only for its owner: give the owner's user_id.",
    body: gumloop('Forbidden'),
  },
  GUMLOOP_NOT_A_MEMBER: { status: 403, message: "The user_id is not a member of this API key's team.", body: gumloop('Forbidden') },
  GUMLOOP_PROJECT_MISMATCH: { status: 403, message: "The project_id is not this API key's team.", body: gumloop('Forbidden') },
  GUMLOOP_AUTH_KEY_MISMATCH: { status: 403, message: 'The x-auth-key header does not name the user this API key acts for.', body: gumloop('Forbidden') },
  GUMLOOP_SCOPE_MISSING: { status: 403, message: 'This API key lacks the flows:run scope.', body: gumloop('Forbidden') },
  GUMLOOP_BAD_REQUEST: { status: 400, message: 'A parameter is missing or not valid.', body: gumloop('Bad Request') },
  GUMLOOP_FORBIDDEN: { status: 403, message: 'This API key may not do this.', body: gumloop('Forbidden') },
  GUMLOOP_NOT_FOUND: { status: 404, message: 'Not found.', body: gumloop('Not Found') },
  GUMLOOP_CONFLICT: { status: 409, message: 'Conflict.', body: gumloop('Conflict') },
  /** A file or an upload over its size limit, or an account's files over their storage limit (src/flows/files-service.ts). */
  GUMLOOP_PAYLOAD_TOO_LARGE: { status: 413, message: 'The file is too large.', body: gumloop('Payload Too Large') },
  GUMLOOP_QUEUE_FULL: { status: 429, message: 'Too many runs are waiting for this account. Try again later.', body: gumloop('Too Many Requests') },

  // --- OAuth 2.0 server (src/oauth): RFC 6749 §5.2 bodies `{error, error_description}`
  OAUTH_INVALID_REQUEST: { status: 400, message: 'The request is missing a parameter or is malformed.', body: oauth('invalid_request'), headers: noStore },
  OAUTH_INVALID_CLIENT: { status: 401, message: 'Client authentication failed.', body: oauth('invalid_client'), headers: noStore },
  /** invalid_client when the client tried HTTP Basic: RFC 6749 §5.2 requires the challenge. */
  OAUTH_INVALID_CLIENT_BASIC: {
    status: 401,
    message: 'Client authentication failed.',
    body: oauth('invalid_client'),
    headers: () => ({ ...noStore(), 'www-authenticate': 'Basic realm="tessera", charset="UTF-8"' }),
  },
  OAUTH_INVALID_GRANT: { status: 400, message: 'The authorization grant is invalid, expired or revoked.', body: oauth('invalid_grant'), headers: noStore },
  OAUTH_UNAUTHORIZED_CLIENT: { status: 400, message: 'This client may not use this grant type.', body: oauth('unauthorized_client'), headers: noStore },
  OAUTH_UNSUPPORTED_GRANT_TYPE: { status: 400, message: 'Unsupported grant type.', body: oauth('unsupported_grant_type'), headers: noStore },
  OAUTH_INVALID_SCOPE: { status: 400, message: 'The requested scope is not allowed for this application.', body: oauth('invalid_scope'), headers: noStore },
  OAUTH_UNSUPPORTED_TOKEN_TYPE: { status: 400, message: 'This token type cannot be revoked.', body: oauth('unsupported_token_type') },
  // RFC 8628 §3.5: the device is polling
  OAUTH_AUTHORIZATION_PENDING: { status: 400, message: 'The user has not approved the request yet.', body: oauth('authorization_pending'), headers: noStore },
  OAUTH_SLOW_DOWN: { status: 400, message: 'Polling too fast: wait the interval, plus 5 seconds.', body: oauth('slow_down'), headers: noStore },
  OAUTH_ACCESS_DENIED: { status: 400, message: 'The user denied the request.', body: oauth('access_denied'), headers: noStore },
  OAUTH_EXPIRED_TOKEN: { status: 400, message: 'The device code expired. Start again.', body: oauth('expired_token'), headers: noStore },
  OAUTH_RATE_LIMITED: { status: 429, message: 'Too many token requests. Try again later.', body: oauth('rate_limited'), headers: noStore },
  OAUTH_TEMPORARILY_UNAVAILABLE: { status: 503, message: 'Too many token requests are waiting on this server. Try again in a second.', body: oauth('temporarily_unavailable'), headers: noStore },
  AUTHORIZED_APPLICATION_NOT_FOUND: { status: 404, message: 'Authorized application could not be found.' },

  // --- bad input at the edge (src/http/input-guard.ts): the v2 family's 400 (contract, Tessera's decisions)
  V2_BAD_REQUEST: { status: 400, message: 'A parameter is not valid.', body: fail },
  // --- webhooks (src/webhooks): FAIL like the resource subscription routes
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 200, message: 'The delivery was not found.', body: fail },
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

  /** Fastify's name for the status: an error handler of a plugin that reads only `statusCode` still answers 4xx. */
  get statusCode(): number {
    return this.status;
  }

  /** Fastify assigns statusCode on some paths; the code's status stays the truth. */
  set statusCode(_ignored: number) {}

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
