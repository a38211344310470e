import type { Actor, AppContext } from '../context.js';
import type { User } from '../accounts/service.js';
import * as accounts from '../accounts/store.js';
import { revealApiKey } from '../apikeys/reveal.js';
import { requireManagedKey } from '../apikeys/service.js';
import { TesseraError } from '../http/errors.js';
import { accessFlow } from './service.js';

export const KEY_PLACEHOLDER = 'YOUR_API_KEY';

/**
 * The webhook trigger URL of a flow with one of the caller's keys (gumloop contract §3): a POST
 * to it starts the flow as the caller, its JSON body becoming the inputs. The key's secret is in
 * the URL only when the caller proves it: by passing it (`api_key`, checked against the key), or
 * with their password when the key is recoverable (audited as a reveal). Otherwise the URL holds
 * a placeholder to replace.
 */
export async function webhookUrl(
  ctx: AppContext,
  user: User,
  flowId: string,
  input: { key_id: string; api_key?: string; password?: string },
  actor: Actor,
) {
  const flow = await accessFlow(ctx.db, user.id, flowId, false);
  const key = await requireManagedKey(ctx.db, user.id, input.key_id);
  const fits = flow.owner_type === 'user' ? key.kind === 'personal' : key.kind === 'team' && key.team_id === flow.owner_id;
  if (!fits) {
    throw new TesseraError('VALIDATION_FAILED', "This key cannot start this flow: use a personal key for your own flows and the team's key for a team flow.");
  }
  let secret: string | null = null;
  if (input.api_key !== undefined) {
    if (ctx.keys.hash(input.api_key) !== key.key_hash) throw new TesseraError('VALIDATION_FAILED', "'api_key' is not the current secret of this key.");
    secret = input.api_key;
  } else if (input.password !== undefined) {
    secret = await revealApiKey(ctx, user, key.id, input.password, actor);
  }
  const apiUserId = (await accounts.findUserById(ctx.db, user.id))!.external_id;
  const query = new URLSearchParams({ user_id: apiUserId, saved_item_id: flow.id });
  if (flow.owner_type === 'team') query.set('project_id', flow.owner_id);
  const base = `${ctx.config.publicUrl}/api/v1/start_pipeline?${query.toString()}`;
  return {
    url: `${base}&api_key=${encodeURIComponent(secret ?? KEY_PLACEHOLDER)}`,
    header_url: base,
    authorization: `Bearer ${secret ?? KEY_PLACEHOLDER}`,
    includes_key: secret !== null,
  };
}
