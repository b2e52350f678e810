// When a view reloads because of events. Event storms (Kubernetes exec probes fire several a
// second) must not stack loads: at most one load runs and one more waits behind it, however many
// events came meanwhile. A hidden or collapsed view does not load at all: it is stale, and loads
// when it shows again or is asked for its rows.

export class ReloadGate<T> {
  private running: Promise<T> | undefined;
  private queued = false;
  private stale = false;

  constructor(private readonly load: () => Promise<T>, private readonly visible: () => boolean) {}

  /** A load asked for by the user or a new scope: starts at once (the newest load wins the view). */
  run(): Promise<T> {
    this.queued = false;
    const started = this.load();
    this.running = started;
    const settled = (): void => {
      if (this.running !== started) return;
      this.running = undefined;
      if (this.queued) void this.run();
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
    if (this.running) {
      this.queued = true;
      return;
    }
    void this.run();
  }

  /** Whether events came while hidden; asking clears it (the caller loads now). */
  takeStale(): boolean {
    const was = this.stale;
    this.stale = false;
    return was;
  }
}
