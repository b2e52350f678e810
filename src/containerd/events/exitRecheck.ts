// containerd 2.1 sometimes never publishes /tasks/delete after /tasks/exit (about 1 in 20 here,
// `ctr events` misses it too): a task deleted right after it exited would then stay "Stopped".
// So the tasks of a namespace with an exit are read once more a moment later; exits in between
// push that read back, so a burst of exits costs one extra read.
import type { Cancel, Timers } from '../connection/backoff';

export const exitRecheckMs = 1500;

export class ExitRechecks {
  private readonly scheduled = new Map<string, { address: string; cancel: Cancel }>();

  constructor(private readonly timers: Timers, private readonly recheck: (address: string, namespace: string) => void, private readonly delayMs = exitRecheckMs) {}

  noteExit(address: string, namespace: string): void {
    const key = `${address}\u0000${namespace}`;
    this.scheduled.get(key)?.cancel();
    this.scheduled.set(key, {
      address,
      cancel: this.timers.schedule(() => {
        this.scheduled.delete(key);
        this.recheck(address, namespace);
      }, this.delayMs),
    });
  }

  /** Drops the rechecks of one endpoint (its feed is gone), or of all. */
  forget(address?: string): void {
    for (const [key, entry] of this.scheduled) {
      if (address !== undefined && entry.address !== address) continue;
      entry.cancel();
      this.scheduled.delete(key);
    }
  }
}
