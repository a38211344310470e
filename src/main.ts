import { loadConfig } from './config.js';
import { createContext } from './bootstrap.js';
import { buildServer } from './server.js';

/** `npm start`: one process serving the API, the OAuth server and the dashboard. */
async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext(config);
  const app = await buildServer(ctx);
  const shutdown = async () => {
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: Error) => {
  console.error(`tessera: ${err.message}`);
  process.exit(1);
});
