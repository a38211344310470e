import type { Actor, AppContext } from '../../src/context.js';
import { createSession, createUser } from '../../src/accounts/service.js';
import { Client, SECRET_LOG } from './client.js';

/** The actor a sign-up over loopback HTTP records (anonymous, 127.0.0.1). */
const LOOPBACK: Actor = { type: 'anonymous', id: null, ip: '127.0.0.1' };

/**
 * A seller with a live session, made through the same services POST /api/users runs (same rows,
 * same audit events), without the HTTP round trip: the fixture every test needs, not the thing it
 * tests. test/accounts/users.test.ts covers the sign-up route itself.
 */
export async function seedSeller(ctx: AppContext, url: string, email: string, password: string) {
  const user = await createUser(ctx, { email, password }, LOOPBACK);
  const session = await createSession(ctx, { email, password }, LOOPBACK);
  SECRET_LOG.add(session.token);
  const client = new Client(url);
  client.cookie = `tessera_session=${session.token}`;
  return { client, user, password };
}
