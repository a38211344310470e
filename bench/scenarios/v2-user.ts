import { CLI_ACTOR } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import type { Scenario } from '../scenario.js';

/** GET /v2/user with a valid owner token: checksum, HMAC, one indexed read, JSON. */
export const v2UserScenario: Scenario = {
  name: 'GET /v2/user (Bearer token)',
  goal: 0.75,
  async prepare({ ctx }) {
    const user = await createUser(ctx, { email: `bench-${Date.now()}@example.com`, password: 'bench password' }, CLI_ACTOR);
    const { application } = await createApplication(ctx, user.id, { name: 'bench', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
    const token = await generateOwnerToken(ctx, user.id, application.id, {}, CLI_ACTOR);
    return { method: 'GET', path: '/v2/user', headers: { authorization: `Bearer ${token.accessToken}` } };
  },
};
