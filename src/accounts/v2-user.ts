import type { AppContext } from '../context.js';
import { RICH_USER_SCOPES, scopesAllow } from '../auth/scopes.js';
import type { PrincipalUser } from '../tokens/service.js';
import { livePermalinks } from './v2-user-store.js';

/** The seller's public profile page (GET /u/:user_id): Gumroad's `user.url`, the seller's own page. */
export function profileUrl(ctx: AppContext, externalId: string): string {
  return `${ctx.config.publicUrl}/u/${encodeURIComponent(externalId)}`;
}

/**
 * The Gumroad user object (§3.1), from the account the token check read with the token. Email,
 * profile URL and currency need a "rich" scope, display_name needs view_profile; without rich
 * scopes null name/bio/twitter_handle are left out.
 */
export async function presentV2User(ctx: AppContext, user: PrincipalUser, scopes: ReadonlySet<string>) {
  const rich = scopesAllow(scopes, RICH_USER_SCOPES);
  const body: Record<string, unknown> = {};
  for (const key of ['name', 'bio', 'twitter_handle'] as const) {
    if (rich || user[key] !== null) body[key] = user[key];
  }
  body.id = user.id;
  body.user_id = user.external_id;
  body.url = profileUrl(ctx, user.external_id);
  body.links = await livePermalinks(ctx.db, ctx.dialect, user.id);
  if (rich) {
    body.email = user.email;
    body.profile_url = null;
    body.currency_type = user.currency_type;
  }
  if (scopesAllow(scopes, ['view_profile'])) body.display_name = user.name ?? user.email.split('@')[0];
  return body;
}

