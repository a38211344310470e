import type { AppContext } from '../../context.js';
import * as accounts from '../../accounts/store.js';
import type { OAuthClient } from '../clients.js';
import type { ConsentApplication } from './consent.js';

/** The public icon route of ./authorize-routes.ts (the /api one is owner-only). */
export function iconUrl(client: Pick<OAuthClient, 'clientId' | 'hasIcon'>): string | null {
  return client.hasIcon ? `/oauth/applications/${encodeURIComponent(client.clientId)}/icon` : null;
}

/** Name, icon and owner of an application, as the consent pages show them. */
export async function consentApplication(ctx: AppContext, client: OAuthClient, owner?: string): Promise<ConsentApplication> {
  if (owner === undefined) {
    const row = await accounts.findUserById(ctx.db, client.ownerId);
    owner = row?.name || row?.email || 'an unknown developer';
  }
  return { name: client.name, iconUrl: iconUrl(client), owner };
}
