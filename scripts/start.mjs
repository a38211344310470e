// `npm start`: compiles src/ into dist/ when it changed since the last build, then runs the
// compiled server, bundled into one file (dist/tessera.mjs), in this same process (no TypeScript
// loader in production).
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build.mjs';

// V8's code cache for every module loaded (node_modules/.cache/tessera-v8): a faster second start.
module.enableCompileCache?.(fileURLToPath(new URL('../node_modules/.cache/tessera-v8', import.meta.url)));

try {
  ensureBuilt();
} catch (err) {
  process.stderr.write(`tessera: ${err.message}\n`);
  process.exit(1);
}
await import('../dist/tessera.mjs');
