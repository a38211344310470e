import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { describeDevice } from './device.js';
import * as security from './security-store.js';
import type { SessionUser } from './service.js';

/** One signed-in session, as the sessions page lists it. */
export interface SessionView {
  id: string;
  device: string;
  ip: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  current: boolean;
}

/** The account's live sessions (not expired, not idle past TESSERA_SESSION_IDLE_TIMEOUT), newest first. */
export async function listSessions(ctx: AppContext, user: SessionUser): Promise<SessionView[]> {
  const now = ctx.clock();
  const idle = ctx.config.accounts.sessionIdleSeconds;
  const rows = await security.listLiveSessions(ctx.db, user.id, now, idle > 0 ? now - idle * 1000 : null);
  return rows.map((r) => ({
    id: r.id,
    device: describeDevice(r.user_agent),
    ip: r.last_ip ?? r.ip,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at ?? r.created_at,
    expiresAt: r.expires_at,
    current: r.id === user.sessionId,
  }));
}

/** Signs one session of the account out; another account's session is not found. */
export async function signOutSession(ctx: AppContext, user: SessionUser, sessionId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await security.deleteUserSession(trx, user.id, sessionId);
    if (!gone) throw new TesseraError('SESSION_NOT_FOUND');
    await recordAudit(trx, { actor, userId: user.id, action: 'session.deleted', target: { type: 'session', id: gone.id } });
  });
}

/** Signs out every session of the account but this one. Returns how many ended. */
export async function signOutOtherSessions(ctx: AppContext, user: SessionUser, actor: Actor): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await security.deleteOtherSessions(trx, user.id, user.sessionId);
    await recordAudit(trx, { actor, userId: user.id, action: 'sessions.signed_out', target: { type: 'user', id: user.id }, metadata: { sessions_ended: ended } });
    return ended;
  });
}
