#!/usr/bin/env node
// The `tessera` command: runs the compiled CLI (bundled: dist/tessera-cli.mjs), compiling src/ first when it changed.
// Started by an older system Node (e.g. `./bin/tessera.mjs` with Node 20 on PATH), it re-runs itself
// with the Node 24 the project installs in node_modules/.bin.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const ownNode = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
if (major < 22 && fs.existsSync(ownNode)) {
  const r = spawnSync(ownNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// V8's code cache for every module loaded (node_modules/.cache/tessera-v8): a faster second run.
const { default: module } = await import('node:module');
module.enableCompileCache?.(fileURLToPath(new URL('../node_modules/.cache/tessera-v8', import.meta.url)));
const { ensureBuilt } = await import('../scripts/build.mjs');
try {
  // scripts/test.mjs compiles once before the tests start: edits made while they run wait for the next run.
  if (process.env.TESSERA_BUILT_BY_TEST_RUN !== '1') ensureBuilt();
} catch (err) {
  process.stderr.write(`tessera: ${err.message}\n`);
  process.exit(1);
}
await import('../dist/tessera-cli.mjs');
