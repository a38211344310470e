import type { AppContext } from '../context.js';
import { listMail } from './mail-log-store.js';

export interface MailLogEntry {
  id: string;
  kind: string;
  to: string;
  subject: string;
  /** The plain-text part with every secret masked ([sealed]); the full message stays encrypted. */
  body: string;
  status: string;
  lastError: string | null;
  createdAt: number;
}

/** The newest account emails first (the owner's mail log page). */
export async function listMailLog(ctx: AppContext, limit = 100): Promise<MailLogEntry[]> {
  const rows = await listMail(ctx.db, limit);
  return rows.map((r) => ({ id: r.id, kind: r.kind, to: r.to_address, subject: r.subject, body: r.body_masked, status: r.status, lastError: r.last_error, createdAt: r.created_at }));
}

/** Who reads the mail log: an instance owner (src/admin/owner.ts). */
export function canReadMailLog(user: { isOwner: boolean }): boolean {
  return user.isOwner;
}
