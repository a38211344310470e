import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { createContext } from './bootstrap.js';
import { runPrimary } from './cluster.js';
import { buildServer } from './server.js';
import { dataLocation, startBanner, tesseraVersion } from './http/banner.js';
import { hasAnyUser } from './accounts/store.js';

/** `npm start`: one process serving the API, the OAuth server and the dashboard (or TESSERA_WORKERS of them). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) {
    // The server secret and the migrations once, before any worker opens the database.
    await (await createContext(config)).close();
    // Workers run this module itself (dist/main.js, or src/main.ts under tsx), not the launcher.
    cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
    process.exit(await runPrimary({ workers: config.workers, log: (line) => console.error(`tessera: ${line}`) }));
  }
  const ctx = await createContext(config);
  const app = await buildServer(ctx);
  let closing: Promise<void> | undefined;
  // Drain: stop accepting, answer what is in flight, commit the batches, then exit.
  const shutdown = () =>
    (closing ??= (async () => {
      await app.close();
      await ctx.close();
      process.exit(0);
    })());
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ host: config.host, port: config.port });
  if (!cluster.isWorker) {
    app.log.info({ version: tesseraVersion(), node: process.version, data: dataLocation(config) }, 'Tessera started');
    if (process.stdout.isTTY) process.stdout.write(startBanner(config, config.publicUrl, await hasAnyUser(ctx.db)));
  }
  if (cluster.isWorker) process.send?.({ tessera: 'listening', pid: process.pid });
}

main().catch((err: Error) => {
  console.error(`tessera: ${err.message}`);
  process.exit(1);
});
