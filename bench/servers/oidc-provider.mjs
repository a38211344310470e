// A peer for the same method: oidc-provider (Koa, its in-memory adapter) with one confidential
// client allowed client_credentials, introspection enabled. The benchmark gets a token from its
// POST /token and introspects it with POST /token/introspection (client_secret_basic).
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'peer-client',
      client_secret: 'peer-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api',
    },
  ],
  scopes: ['api'],
  ttl: { ClientCredentials: 3600 },
  features: {
    introspection: { enabled: true, allowedPolicy: async () => true },
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
});
provider.on('server_error', (_ctx, err) => console.error('oidc-provider:', err));
const server = http.createServer(provider.callback());
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
process.send?.('ready');
