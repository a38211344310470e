// The yardstick for start time: a bare Fastify JSON route, plain JavaScript, started like Tessera.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
