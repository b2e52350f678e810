// Whether work finishes soon enough to be shown with what is already there, or later on its own.
import { systemTimers, type Timers } from '../containerd/connection/backoff';

/** True when `work` settles (either way) within `ms`; false once `ms` pass first. Never rejects. */
export function settlesWithin(work: Promise<unknown>, ms: number, timers: Timers = systemTimers): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = timers.schedule(() => resolve(false), ms);
    const settled = (): void => {
      cancel();
      resolve(true);
    };
    work.then(settled, settled);
  });
}
