import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

// Plain JavaScript: the worker runs without the TypeScript loader (the CLI registers tsx in-process only).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Copies the WAL back into the database file from a worker thread with a connection of its own,
 * so the checkpoint's page writes and fsync never stall the event loop (SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold). The main connection keeps a
 * high automatic threshold only as a safety net.
 */
export function startCheckpointer(file: string, intervalMs = 250): () => Promise<void> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module: require.resolve('better-sqlite3'), intervalMs } });
  worker.unref();
  worker.on('error', (err) => process.emitWarning(`SQLite checkpointer stopped: ${err.message}`));
  return () =>
    new Promise((resolve) => {
      worker.once('exit', () => resolve());
      worker.ref(); // keep the process alive until the worker has closed its connection
      worker.postMessage('stop');
      setTimeout(() => void worker.terminate(), 2000).unref();
    });
}
