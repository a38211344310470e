import cluster from 'node:cluster';

/**
 * TESSERA_WORKERS > 1: this process is the primary. It forks that many server processes, which
 * share the listening port (node:cluster hands connections out round-robin), restarts a worker
 * that dies, and on SIGTERM / SIGINT asks every worker to drain (each closes its server, answers
 * what is in flight, commits its batches) and exits once all have.
 *
 * Every worker is a whole server with its own context. Nothing that must agree across them lives
 * in memory: credentials, revocations, license views (epoch-checked) and limits are read from the
 * database, which is also how several machines on one PostgreSQL stay consistent.
 */
export interface PrimaryOptions {
  workers: number;
  log(line: string): void;
  /** Restart pause after a crash, doubled while workers keep dying within `stableMs`. */
  restartDelayMs?: number;
  stableMs?: number;
}

export function runPrimary(options: PrimaryOptions): Promise<number> {
  const base = options.restartDelayMs ?? 250;
  const stableMs = options.stableMs ?? 10_000;
  let stopping = false;
  let delay = base;
  const startedAt = new Map<number, number>();

  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    worker.on('message', (message: { tessera?: string }) => {
      if (message?.tessera === 'listening') options.log(`worker ${worker.process.pid} listening`);
    });
  };

  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
      startedAt.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      delay = lived >= stableMs ? base : Math.min(delay * 2, 30_000);
      options.log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${delay} ms`);
      setTimeout(fork, delay).unref();
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      options.log(`${signal}: draining ${Object.keys(cluster.workers ?? {}).length} workers`);
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) resolve(0);
      for (const worker of workers) worker?.process.kill('SIGTERM');
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    for (let i = 0; i < options.workers; i++) fork();
  });
}

export const isWorkerProcess = (): boolean => cluster.isWorker;
