// "Quiet": a window in which the extension host and containerd together burn less than a fifth
// of a core, i.e. every load (or burst of reloads) has finished.
import { performance } from 'node:perf_hooks';
import { processCpuMs } from '../profile';

/** Waits for a quiet window; resolves with the window's start. */
export async function quiet(daemonPid: number, timeoutMs = 120_000): Promise<number> {
  const windowMs = 250;
  const sample = (): { at: number; cpu: number } => {
    const { user, system } = process.cpuUsage();
    return { at: performance.now(), cpu: (user + system) / 1000 + processCpuMs(daemonPid) };
  };
  const deadline = performance.now() + timeoutMs;
  for (let last = sample(); performance.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const next = sample();
    if (next.cpu - last.cpu < 0.2 * (next.at - last.at)) return last.at;
    last = next;
  }
  throw new Error('the extension host and containerd never went quiet');
}
