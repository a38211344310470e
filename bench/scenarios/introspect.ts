import { CLI_ACTOR } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApplication } from '../../src/applications/service.js';
import { findClient } from '../../src/oauth/clients.js';
import { TesseraModel } from '../../src/oauth/model.js';
import type { Scenario } from '../scenario.js';

/**
 * POST /oauth/introspect (RFC 7662) by a confidential client, HTTP Basic: client secret HMAC and
 * application read, then the token's HMAC lookup and its user, answered `active: true`.
 */
export const introspectScenario: Scenario = {
  name: 'POST /oauth/introspect (client_secret_basic)',
  goal: 0.5,
  async prepare({ ctx }) {
    const user = await createUser(ctx, { email: `bench-oauth-${Date.now()}@example.com`, password: 'bench password' }, CLI_ACTOR);
    const { application, clientSecret } = await createApplication(ctx, user.id, { name: 'bench oauth', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
    const client = (await findClient(ctx, application.client_id, clientSecret))!;
    // A client_credentials token: an OAuth access token of this client, issued as /oauth/token does.
    const token = await new TesseraModel(ctx, CLI_ACTOR).saveToken({ accessToken: '', scope: ['view_profile'], client, user: { id: user.id } }, client, { id: user.id });
    return {
      method: 'POST',
      path: '/oauth/introspect',
      headers: {
        authorization: `Basic ${Buffer.from(`${application.client_id}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: token.accessToken }).toString(),
    };
  },
};
