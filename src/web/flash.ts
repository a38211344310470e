import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { formProblem } from './errors.js';
import * as store from './flash-store.js';

/**
 * Post/Redirect/Get for the dashboard. A POST never answers a page: it acts, stores what the next
 * page must show in a one-time server-side flash (a row of `dashboard_flash`, bound to the session,
 * its payload encrypted) and redirects (303) to a GET naming the flash's random id. The first GET
 * empties the flash; a reload finds it gone and the page says "already shown" instead of acting
 * or showing a secret again. Secrets therefore never travel in a URL.
 */

/** The query parameter naming a flash. */
export const FLASH_PARAM = 'flash';
const FLASH_TTL_MS = 15 * 60 * 1000;

export type FlashData = Record<string, unknown>;

/** What a GET found: nothing asked, a fresh flash (read now, gone after), or one already read. */
export interface FlashView {
  kind: string | null;
  data: FlashData | null;
  /** The URL named a flash that was read before (or expired). */
  alreadyShown: boolean;
}

export const NO_FLASH: FlashView = { kind: null, data: null, alreadyShown: false };

/** Stores a one-time message for this session; returns its id. Expired rows are swept here. */
export async function putFlash(ctx: AppContext, sessionId: string, kind: string, data: FlashData, ttlMs = FLASH_TTL_MS): Promise<string> {
  const now = ctx.clock();
  const id = randomBytes(18).toString('base64url');
  await store.deleteExpiredFlashes(ctx.db, now);
  await store.insertFlash(ctx.db, { id, session_id: sessionId, kind, payload: ctx.keys.encrypt(JSON.stringify(data)), created_at: now, expires_at: now + ttlMs, consumed_at: null });
  return id;
}

/**
 * Reads a flash once: the row is read, then emptied by an UPDATE that only matches while its
 * payload is still there, so of two concurrent reads (any processes) only one gets it. Another
 * session's id reads as already shown.
 */
export async function takeFlash(ctx: AppContext, sessionId: string, id: string): Promise<FlashView> {
  const now = ctx.clock();
  const row = await store.findUnreadFlash(ctx.db, sessionId, id, now);
  if (!row || row.payload === null) return { kind: null, data: null, alreadyShown: true };
  if (!(await store.emptyFlash(ctx.db, id, row.payload, now))) return { kind: null, data: null, alreadyShown: true };
  return { kind: row.kind, data: JSON.parse(ctx.keys.decrypt(row.payload)) as FlashData, alreadyShown: false };
}

/** A standing permission of this session (e.g. "password confirmed"), valid for ttlMs. */
export async function grantSession(ctx: AppContext, sessionId: string, kind: string, ttlMs: number): Promise<void> {
  const now = ctx.clock();
  await store.insertFlash(ctx.db, { id: randomBytes(18).toString('base64url'), session_id: sessionId, kind: `grant:${kind}`, payload: null, created_at: now, expires_at: now + ttlMs, consumed_at: null });
}

export async function hasGrant(ctx: AppContext, sessionId: string, kind: string): Promise<boolean> {
  return store.hasLiveFlashOfKind(ctx.db, sessionId, `grant:${kind}`, ctx.clock());
}

/** `path` with `name=value` set in its query. */
export function withParam(path: string, name: string, value: string): string {
  const url = new URL(path, 'http://dashboard');
  url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/** The flash the current GET names, read (and so emptied) now. */
export async function readFlash(request: FastifyRequest): Promise<FlashView> {
  const id = (request.query as Record<string, unknown> | undefined)?.[FLASH_PARAM];
  if (typeof id !== 'string' || id === '' || !request.viewer) return NO_FLASH;
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return { ...NO_FLASH, alreadyShown: true };
  return takeFlash(request.server.ctx, request.viewer.user.sessionId, id);
}

/** 303 to `path`, carrying `data` to it in a one-time flash. */
export async function redirectWithFlash(request: FastifyRequest, reply: FastifyReply, path: string, kind: string, data: FlashData): Promise<FastifyReply> {
  const id = await putFlash(request.server.ctx, request.viewer!.user.sessionId, kind, data);
  return reply.redirect(withParam(path, FLASH_PARAM, id), 303);
}

/** A form's failure the visitor can fix, carried back to the form's page (errors that are not go up). */
export interface FormError {
  form: string;
  error: string;
  values: Record<string, string>;
}

/**
 * After a failed POST: 303 back to the form's page with the message and what was typed (never a
 * password) in a flash. Not-found, CSRF and bugs go up to the error page.
 */
export async function backWithError(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  err: unknown,
  form: string,
  values: Record<string, string> = {},
): Promise<FastifyReply> {
  const { message } = formProblem(err);
  if (err instanceof TesseraError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  return redirectWithFlash(request, reply, path, 'error', { form, error: message, values });
}

/** The error flash of one form, if that is what this page was sent back with. */
export function formErrorOf(view: FlashView, form: string): FormError | null {
  if (view.kind !== 'error' || !view.data || view.data.form !== form) return null;
  return view.data as unknown as FormError;
}

/** The data of a flash of this kind, if that is what the page was sent. */
export function flashOf<T>(view: FlashView, kind: string): T | null {
  return view.kind === kind && view.data ? (view.data as T) : null;
}
