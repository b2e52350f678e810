// At most `limit` reads in flight, the rest waiting their turn in order. One per endpoint, shared
// by every reader of its content store (Images and Snapshots views, inspect documents): a hostile
// image with thousands of layers, or every namespace resolving at once, then queues instead of
// opening thousands of streams (and file descriptors, in the daemon too) at the same moment.
export class ReadLimiter {
  private running = 0;
  private highest = 0;
  /** Waiters in arrival order; `head` is the next one (shift() on a long array is quadratic). */
  private waiting: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit = 64) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a read limit must be a positive integer, not ${limit}`);
  }

  /** Reads running now. */
  get inFlight(): number {
    return this.running;
  }

  /** The most reads that ever ran at once. */
  get peak(): number {
    return this.highest;
  }

  async run<T>(read: () => Promise<T>): Promise<T> {
    // A finished read hands its slot straight to the next waiter, so `running` never overshoots.
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.highest = Math.max(this.highest, this.running);
    try {
      return await read();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting[this.head];
    if (!next) {
      this.running--;
      return;
    }
    this.head++;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
