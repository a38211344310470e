import { TesseraError } from '../http/errors.js';

/**
 * The status a failure has on a page. Gumroad-compatible services answer some failures with
 * HTTP 200 and `success: false` (the contract's FAIL); on a page they are a 404 or a 400.
 */
export function pageStatus(err: TesseraError): number {
  if (err.status >= 400) return err.status;
  return err.code.endsWith('_NOT_FOUND') ? 404 : 400;
}

/**
 * A failure the visitor can fix on the form they sent (bad input, a conflict, a rate limit):
 * its status and message. Anything else (not found, CSRF, a bug) goes up to the error page.
 */
export function formProblem(err: unknown): { status: number; message: string } {
  if (err instanceof TesseraError && err.code !== 'CSRF_TOKEN_INVALID') {
    const status = pageStatus(err);
    if (status !== 404 && status < 500) return { status, message: err.message };
  }
  throw err;
}
