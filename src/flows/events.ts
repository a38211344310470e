import { EventEmitter } from 'node:events';

/**
 * In-process signals between one context's API and its workers (ctx.flowSignals): `queued`
 * wakes its idle workers at once, `kill` (run id) aborts a running step at once. Workers of
 * other processes, or of another context in this one, learn the same facts from the database on
 * their next poll or heartbeat, as any other node would.
 */
export class FlowSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  queued(): void {
    this.emitter.emit('queued');
  }

  kill(runId: string): void {
    this.emitter.emit('kill', runId);
  }

  /** A worker's listeners; the function returned removes them. */
  listen(onQueued: () => void, onKill: (runId: string) => void): () => void {
    this.emitter.on('queued', onQueued);
    this.emitter.on('kill', onKill);
    return () => {
      this.emitter.off('queued', onQueued);
      this.emitter.off('kill', onKill);
    };
  }
}
