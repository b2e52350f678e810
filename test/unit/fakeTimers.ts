// A clock for unit tests that only moves when told to: timers run in time order on advance().
import type { Cancel, Timers } from '../../src/containerd/connection/backoff';

/** A clock that only moves when told to. */
export class FakeTimers implements Timers {
  private time = 0;
  private nextId = 0;
  private readonly tasks = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): Cancel {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.time + ms, callback });
    return () => this.tasks.delete(id);
  }

  get pending(): number {
    return this.tasks.size;
  }

  /** Runs, in time order, everything due within `ms`. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.tasks) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.tasks.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}
