// What the user waits for goes first. At start-up the views' first rows and the Namespaces view's
// counts want the same daemon and the same extension-host thread; counting a 10,000-object
// namespace decodes tens of megabytes. Views hold the foreground from creation until their first
// rows and track each load; background work (the counts) waits until nothing holds it.
import { systemTimers, type Timers } from '../containerd/connection/backoff';

export class ForegroundWork {
  private holders = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly timers: Timers = systemTimers) {}

  /**
   * Holds the foreground until the returned function is called (twice is harmless) or `maxMs`
   * pass: a view whose rows never come (no stream, no scope) must not hold the counts for ever.
   */
  hold(maxMs: number): () => void {
    const release = this.acquire();
    const cancel = this.timers.schedule(release, maxMs);
    return () => {
      cancel();
      release();
    };
  }

  /** Holds the foreground while `work` runs; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    const release = this.acquire();
    work.then(release, release);
    return work;
  }

  /** Resolves once nothing holds the foreground (at once if nothing does). */
  idle(): Promise<void> {
    if (this.holders === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private acquire(): () => void {
    this.holders++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holders--;
      this.wakeIfIdle();
    };
  }

  private wakeIfIdle(): void {
    if (this.holders > 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
