/**
 * A background loop of rounds (the trigger scheduler's, the webhook sender's): one round, then a
 * sleep of `pollMs()` while idle, no sleep while a round says there is more to do, and after a
 * `kick()` (an event just queued, whose transaction may commit a moment after the first look) a
 * look at once and two short re-looks, 20 and 200 ms later. `stop()` wakes a sleeping loop and
 * waits for the round in flight. A round that throws is reported to `onError` and the loop goes on.
 */
export class PollLoop {
  private running = false;
  private stopping = false;
  private kicked = false;
  private followUps = 0;
  private wakeUp: (() => void) | null = null;
  private done: Promise<void> | undefined;

  constructor(
    /** One round; true when there is more to do at once. */
    private readonly round: () => Promise<boolean>,
    private readonly pollMs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.done = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.wakeUp?.();
    await this.done;
    this.running = false;
  }

  kick(): void {
    this.kicked = true;
    this.followUps = 2;
    this.wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUp = wake;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.kicked = false;
      let more = false;
      try {
        more = await this.round();
      } catch (err) {
        this.onError(err);
      }
      if (this.stopping) break;
      if (more || this.kicked) continue;
      if (this.followUps > 0) {
        this.followUps--;
        await this.sleep(this.followUps > 0 ? 20 : 200);
        continue;
      }
      await this.sleep(this.pollMs());
    }
  }
}
