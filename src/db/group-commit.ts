import type { Db, Trx } from './database.js';

/** PostgreSQL deadlock / serialization failure: the batch is simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

interface Waiting<J, R> {
  job: J;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** A job's answer that is a refusal: its request is rejected with `error` once the batch committed. */
export class Refused {
  constructor(readonly error: unknown) {}
}

/** What a batch's `work` returns: one answer per job, in order, and what to do on commit before anyone hears. */
export interface BatchAnswers<R> {
  results: (R | Refused)[];
  committed?: () => void;
}

/**
 * Group commit: requests submit a job and wait; every job waiting when a batch starts is written
 * in ONE transaction (`work` gets them all, in arrival order, and returns one answer per job),
 * and each request is answered only after that transaction commits. So what a client is told
 * about is durable, and the writes of n concurrent requests cost one commit instead of n.
 * Used by license verification (src/licenses/verify/batcher.ts) and the token endpoint's
 * client_credentials grants (src/oauth/client-credentials.ts).
 *
 * A batch starts on the next turn of the event loop after the first job arrives (all requests
 * parsed in between join it); while one runs, new jobs wait for the next. At most `queueLimit`
 * jobs wait or run at once: past it, submit refuses at once with `busy()` instead of growing
 * memory while the database is slow. If the transaction fails, every job of the batch fails
 * with its error (PostgreSQL deadlocks and serialization failures are retried twice).
 */
export class GroupCommit<J, R> {
  private waiting: Waiting<J, R>[] = [];
  private inFlight = 0;
  private running: Promise<void> | null = null;
  /** While set, batches wait for it before they start (see hold). */
  private gate: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly work: (trx: Trx, jobs: J[]) => Promise<BatchAnswers<R>>,
    private readonly busy: () => Error,
    private readonly options: { maxBatch: number; queueLimit: number } = { maxBatch: 256, queueLimit: 10_000 },
  ) {}

  /** Jobs waiting for a batch or in the one running. */
  get depth(): number {
    return this.waiting.length + this.inFlight;
  }

  /**
   * Holds every batch that has not started yet until the returned function is called (jobs keep
   * queueing meanwhile, up to the limit): how tests stand for a slow database.
   */
  hold(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.gate = gate;
    return () => {
      if (this.gate === gate) this.gate = null;
      release();
    };
  }

  submit(job: J): Promise<R> {
    if (this.depth >= this.options.queueLimit) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      if (!this.running) this.running = new Promise((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once every submitted job has been answered (server shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        while (this.gate) await this.gate;
        const batch = this.waiting.splice(0, this.options.maxBatch);
        this.inFlight = batch.length;
        await this.runWithRetry(batch);
        this.inFlight = 0;
      }
    } finally {
      this.inFlight = 0;
      this.running = null;
    }
  }

  private async runWithRetry(batch: Waiting<J, R>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let answers: BatchAnswers<R>;
      try {
        answers = await this.db.transaction().execute((trx) => this.work(trx, batch.map((w) => w.job)));
      } catch (err) {
        if (attempt < 3 && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        for (const w of batch) w.reject(err);
        return;
      }
      // Committed: now, and only now, each request hears its answer.
      answers.committed?.();
      batch.forEach((w, i) => {
        const result = answers.results[i]!;
        if (result instanceof Refused) w.reject(result.error);
        else w.resolve(result);
      });
      return;
    }
  }
}
