import type { AppContext } from '../../context.js';
import { getApplication } from '../../applications/service.js';
import * as tokens from '../../tokens/store.js';
import { listUserTokens, type AuthorizedToken } from '../../tokens/service.js';

/** How many live tokens die if the seller deletes this application (404 if not theirs). */
export async function countLiveTokens(ctx: AppContext, ownerId: string, applicationId: string): Promise<number> {
  await getApplication(ctx, ownerId, applicationId);
  const { n } = await tokens.countLiveOfApplication(ctx.db, applicationId);
  return Number(n);
}

/** The seller's own live tokens of one application, for its page. */
export async function liveTokensOf(ctx: AppContext, ownerId: string, applicationId: string): Promise<AuthorizedToken[]> {
  return (await listUserTokens(ctx, ownerId)).filter((t) => t.application_id === applicationId);
}
