import assert from 'node:assert/strict';
import type { TestServer } from '../../support/harness.js';
import { findClient } from '../../../src/oauth/clients.js';
import { decideDeviceRequest, exchangeDeviceCode, startDeviceAuthorization } from '../../../src/oauth/device.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };

/**
 * A third-party application authorized by a user, through the OAuth server's own services
 * (device flow: start, approve, exchange). Returns the access token the application holds.
 */
export async function authorizeApplication(server: TestServer, clientId: string, userId: string, scope = 'view_sales'): Promise<string> {
  const client = await findClient(server.ctx, clientId);
  assert.ok(client, 'the OAuth client exists');
  const started = await startDeviceAuthorization(server.ctx, client, scope);
  assert.ok(await decideDeviceRequest(server.ctx, { userId, userCode: started.user_code, approve: true }, SYSTEM));
  const { pair } = await exchangeDeviceCode(server.ctx, SYSTEM, { presented: started.device_code, client });
  return pair.accessToken;
}
