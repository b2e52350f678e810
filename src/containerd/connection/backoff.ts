// Reconnect pacing and the timers it runs on, injectable so tests can drive time by hand.

/** Cancels what was scheduled; calling it twice, or after it ran, is harmless. */
export type Cancel = () => void;

export interface Timers {
  now(): number;
  schedule(callback: () => void, ms: number): Cancel;
}

/** Node's own clock and timers. */
export const systemTimers: Timers = Object.freeze({
  now: () => Date.now(),
  schedule: (callback: () => void, ms: number): Cancel => {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
});

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Each delay is spread by up to ±jitter of itself, so many windows do not redial in step. */
  readonly jitter: number;
  /** In [0, 1). */
  readonly random: () => number;
}

export const defaultBackoff: BackoffOptions = Object.freeze({ initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2, random: Math.random });

/** Exponential backoff with jitter: 250, 500, 1000 ... 10000, 10000 ms by default. */
export class Backoff {
  private readonly options: BackoffOptions;
  private failures = 0;

  constructor(options: Partial<BackoffOptions> = {}) {
    this.options = { ...defaultBackoff, ...options };
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const { initialMs, maxMs, factor, jitter, random } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.failures);
    this.failures += 1;
    const spread = base * jitter * (2 * random() - 1);
    return Math.max(0, Math.min(maxMs, Math.round(base + spread)));
  }

  reset(): void {
    this.failures = 0;
  }
}
