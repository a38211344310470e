import type { AppContext } from '../../../context.js';
import * as accounts from '../../../accounts/store.js';
import { iconUrl, type OAuthClient } from '../../../oauth/clients.js';
import type { ConsentApplication } from './consent.js';

/** Name, icon and owner of an application, as the consent pages show them. */
export async function consentApplication(ctx: AppContext, client: OAuthClient, owner?: string): Promise<ConsentApplication> {
  if (owner === undefined) {
    const row = await accounts.findUserById(ctx.db, client.ownerId);
    owner = row?.name || row?.email || 'an unknown developer';
  }
  return { name: client.name, iconUrl: iconUrl(client), owner };
}
