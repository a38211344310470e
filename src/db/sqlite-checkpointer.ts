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

/** Rows changed by this connection from which the worker is started (a few hundred WAL pages). */
const START_CHANGES = 256;

/**
 * Copies the WAL back into the database file from a worker thread with a connection of its own,
 * so the checkpoint's page writes and fsync never stall the event loop (SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold). The main connection keeps a
 * high automatic threshold only as a safety net.
 *
 * The worker (a V8 isolate: about 10 MB) is started only once the main connection has changed a
 * few hundred rows (`changes` reads SQLite's `total_changes()`, a counter, no I/O), looked at every
 * fourth interval: a server that has only read since it started (verifications are folded into
 * few writes) has nothing to checkpoint. The WAL file's size cannot tell: a WAL left by an earlier
 * run keeps its size after it has been checkpointed.
 */
export function startCheckpointer(file: string, changes: () => number, intervalMs = 250): () => Promise<void> {
  let worker: Worker | undefined;
  const baseline = changes();
  const watch = setInterval(() => {
    let changed: number;
    try {
      changed = changes() - baseline;
    } catch {
      clearInterval(watch); // the connection was closed without stopping the checkpointer
      return;
    }
    if (changed < START_CHANGES) return;
    clearInterval(watch);
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module: require.resolve('better-sqlite3'), intervalMs } });
    worker.unref();
    worker.on('error', (err) => process.emitWarning(`SQLite checkpointer stopped: ${err.message}`));
  }, intervalMs * 4);
  watch.unref();
  return () => {
    clearInterval(watch);
    const running = worker;
    if (!running) return Promise.resolve();
    return new Promise((resolve) => {
      running.once('exit', () => resolve());
      running.ref(); // keep the process alive until the worker has closed its connection
      running.postMessage('stop');
      setTimeout(() => void running.terminate(), 2000).unref();
    });
  };
}
