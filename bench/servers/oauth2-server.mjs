// A peer for the same method: @node-oauth/oauth2-server behind Fastify (as Tessera is), with an
// in-memory model. GET /protected authenticates a Bearer token and answers a small user object;
// POST /token issues client_credentials tokens (the library's own random token, stored in a Map).
// Nothing here is Tessera code: it is what a developer using the library directly would write.
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import OAuth2Server from '@node-oauth/oauth2-server';

const CLIENT = { id: 'peer-client', secret: 'peer-secret', grants: ['client_credentials'] };
const USER = { id: 'u1', email: 'seller@example.com', name: 'Seller' };
const tokens = new Map();
const MAX_TOKENS = 1_000_000;

const model = {
  async getClient(clientId, clientSecret) {
    if (clientId !== CLIENT.id || (clientSecret && clientSecret !== CLIENT.secret)) return null;
    return { id: CLIENT.id, grants: CLIENT.grants };
  },
  async getUserFromClient() {
    return USER;
  },
  async validateScope(_user, _client, scope) {
    return scope && scope.length ? scope : ['view_profile'];
  },
  async saveToken(token, client, user) {
    if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value);
    const saved = { ...token, client, user };
    tokens.set(token.accessToken, saved);
    return saved;
  },
  async getAccessToken(accessToken) {
    return tokens.get(accessToken) ?? null;
  },
};
const oauth = new OAuth2Server({ model, accessTokenLifetime: 3600 });

const app = Fastify({ logger: false });
await app.register(formbody);
app.get('/protected', async (request, reply) => {
  try {
    const token = await oauth.authenticate(new OAuth2Server.Request({ method: request.method, query: request.query, headers: request.headers, body: {} }), new OAuth2Server.Response());
    return { success: true, user: { id: token.user.id, email: token.user.email, name: token.user.name } };
  } catch (err) {
    return reply.code(err.code ?? 500).send({ error: err.name, error_description: err.message });
  }
});
app.post('/token', async (request, reply) => {
  const res = new OAuth2Server.Response();
  try {
    await oauth.token(new OAuth2Server.Request({ method: 'POST', query: request.query, headers: request.headers, body: request.body }), res);
    return reply.headers(res.headers).send(res.body);
  } catch (err) {
    return reply.code(err.code ?? 500).send({ error: err.name, error_description: err.message });
  }
});
// The token the protected-route scenario presents, issued through the library like any other.
await model.saveToken({ accessToken: 'peer-token-0123456789abcdef0123456789abcdef', accessTokenExpiresAt: new Date(Date.now() + 86_400_000), scope: ['view_profile'] }, CLIENT, USER);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.send?.('ready');
