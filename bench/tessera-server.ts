// Tessera as `npm start` runs it, but telling the benchmark when it is listening.
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/bootstrap.js';
import { buildServer } from '../src/server.js';

const config = loadConfig();
const ctx = await createContext(config);
const app = await buildServer(ctx);
await app.listen({ host: config.host, port: config.port });
process.send?.('ready');
// A normal exit on SIGINT, so `--cpu-prof` (bench/verify-cpu.ts --prof) writes its profile.
process.on('SIGINT', () => process.exit(0));
