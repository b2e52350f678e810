// Ends a daemon the tests started: SIGTERM, then SIGKILL if it is still there after `graceMs`.
import type { ChildProcess } from 'node:child_process';

export async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await done;
  }
}
