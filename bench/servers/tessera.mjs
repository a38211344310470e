// Tessera as `npm start` runs it (the compiled dist/, no TypeScript loader), telling the benchmark
// when it is listening.
import { loadConfig } from '../../dist/config.js';
import { createContext } from '../../dist/bootstrap.js';
import { buildServer } from '../../dist/server.js';

const config = loadConfig();
const ctx = await createContext(config);
const app = await buildServer(ctx);
await app.listen({ host: config.host, port: config.port });
process.send?.('ready');
// A normal exit on SIGINT, so `--cpu-prof` writes its profile.
process.on('SIGINT', () => process.exit(0));
