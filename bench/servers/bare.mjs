// The yardstick: a bare Fastify JSON route on the same machine, in its own process, plain JavaScript.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ success: true, hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.send?.('ready');
process.on('SIGINT', () => process.exit(0));
