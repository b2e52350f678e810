// When a view reloads because of events. A lone event reloads at once. Event storms (Kubernetes
// exec probes fire several a second, a script tags a thousand images) must not cost a load per
// event, nor a load per load-time: while events keep coming, at most one load runs and one more
// waits, each after a gap that doubles (100 ms up to 2 s), so a burst of any length costs a few
// loads. A hidden or collapsed view does not load at all: it is stale, and loads when it shows
// again or is asked for its rows.
import { systemTimers, type Cancel, type Timers } from '../containerd/connection/backoff';

export interface ReloadGateOptions {
  readonly timers: Timers;
  readonly minGapMs: number;
  readonly maxGapMs: number;
}

const defaults: ReloadGateOptions = { timers: systemTimers, minGapMs: 100, maxGapMs: 2000 };

export class ReloadGate<T> {
  private readonly options: ReloadGateOptions;
  private running: Promise<T> | undefined;
  private queued = false;
  private stale = false;
  private cancelWait: Cancel | undefined;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private gapMs: number;

  constructor(private readonly load: () => Promise<T>, private readonly visible: () => boolean, options: Partial<ReloadGateOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.gapMs = this.options.minGapMs;
  }

  /** A load asked for by the user or a new scope: starts at once (the newest load wins the view). */
  run(): Promise<T> {
    this.queued = false;
    this.cancelWait?.();
    this.cancelWait = undefined;
    const started = this.load();
    this.running = started;
    const settled = (): void => {
      if (this.running !== started) return;
      this.running = undefined;
      this.lastEnd = this.options.timers.now();
      if (this.queued) {
        this.queued = false;
        this.startOrWait();
      }
    };
    started.then(settled, settled);
    return started;
  }

  /** An event asks for a reload. */
  request(): void {
    if (!this.visible()) {
      this.stale = true;
      return;
    }
    if (this.running || this.cancelWait) {
      this.queued = this.queued || this.running !== undefined;
      return;
    }
    this.startOrWait();
  }

  /** Whether events came while hidden; asking clears it (the caller loads now). */
  takeStale(): boolean {
    const was = this.stale;
    this.stale = false;
    return was;
  }

  dispose(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
  }

  private startOrWait(): void {
    const { timers, minGapMs, maxGapMs } = this.options;
    const wait = this.lastEnd + this.gapMs - timers.now();
    if (wait <= 0) {
      // Quiet long enough: this is a lone event (or the first of a storm).
      this.gapMs = minGapMs;
      void this.run();
      return;
    }
    this.gapMs = Math.min(this.gapMs * 2, maxGapMs);
    this.cancelWait = timers.schedule(() => {
      this.cancelWait = undefined;
      void this.run();
    }, wait);
  }
}
