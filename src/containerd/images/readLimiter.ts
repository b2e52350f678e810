// At most `limit` reads in flight, the rest waiting their turn in order. One per endpoint, shared
// by every reader of its content store (Images and Snapshots views, inspect documents): a hostile
// image with thousands of layers, or every namespace resolving at once, then queues instead of
// opening thousands of streams (and file descriptors, in the daemon too) at the same moment.

/** A waiting read, linked to the one after it: taking the first off costs the same however many wait. */
interface Waiter {
  readonly start: () => void;
  next?: Waiter;
}

export class ReadLimiter {
  private running = 0;
  private first: Waiter | undefined;
  private last: Waiter | undefined;

  constructor(readonly limit = 64) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a read limit must be a positive integer, not ${limit}`);
  }

  /** Reads running now. */
  get inFlight(): number {
    return this.running;
  }

  async run<T>(read: () => Promise<T>): Promise<T> {
    // A finished read hands its slot straight to the next waiter, so `running` never overshoots.
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((start) => this.enqueue({ start }));
    try {
      return await read();
    } finally {
      this.release();
    }
  }

  private enqueue(waiter: Waiter): void {
    if (this.last) this.last.next = waiter;
    else this.first = waiter;
    this.last = waiter;
  }

  private release(): void {
    const next = this.first;
    if (!next) {
      this.running--;
      return;
    }
    this.first = next.next;
    if (!this.first) this.last = undefined;
    next.start();
  }
}
