import type { BenchRequest } from '../scenario.js';

export type PeerServer = 'oauth2-server' | 'oidc-provider';

/** A peer's endpoint, measured by the same script in the same run as Tessera's (bench/servers/). */
export interface PeerScenario {
  name: string;
  server: PeerServer;
  /** Tessera scenarios it stands beside (for --only). */
  compareWith: string[];
  request(base: string): Promise<BenchRequest>;
}

const basic = `Basic ${Buffer.from('peer-client:peer-secret').toString('base64')}`;
const form = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };

export const peerScenarios: PeerScenario[] = [
  {
    name: 'peer: @node-oauth/oauth2-server protected route (Bearer)',
    server: 'oauth2-server',
    compareWith: ['/v2/user'],
    request: async () => ({ method: 'GET', path: '/protected', headers: { authorization: 'Bearer peer-token-0123456789abcdef0123456789abcdef' } }),
  },
  {
    name: 'peer: @node-oauth/oauth2-server POST /token (client_credentials)',
    server: 'oauth2-server',
    compareWith: ['/oauth/token'],
    request: async () => ({ method: 'POST', path: '/token', headers: form, body: 'grant_type=client_credentials' }),
  },
  {
    name: 'peer: oidc-provider POST /token (client_credentials)',
    server: 'oidc-provider',
    compareWith: ['/oauth/token'],
    request: async () => ({ method: 'POST', path: '/token', headers: form, body: 'grant_type=client_credentials&scope=api' }),
  },
  {
    name: 'peer: oidc-provider POST /token/introspection',
    server: 'oidc-provider',
    compareWith: ['/oauth/introspect'],
    async request(base) {
      const res = await fetch(`${base}/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials&scope=api' });
      const { access_token } = (await res.json()) as { access_token: string };
      return { method: 'POST', path: '/token/introspection', headers: form, body: new URLSearchParams({ token: access_token }).toString() };
    },
  },
];
