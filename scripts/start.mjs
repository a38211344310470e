// `npm start`: compiles src/ into dist/ when it changed since the last build, then runs the
// compiled server in this same process (no TypeScript loader in production).
import { ensureBuilt } from './build.mjs';

try {
  ensureBuilt();
} catch (err) {
  process.stderr.write(`tessera: ${err.message}\n`);
  process.exit(1);
}
await import('../dist/main.js');
