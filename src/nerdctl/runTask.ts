// A Run form saved as a VS Code task: a `process` task (no shell: the argv stays as built) with
// the exact nerdctl invocation for the row's daemon and namespace, under a label no other task has.
import type { Process } from './invocation';

export interface ProcessTask {
  readonly label: string;
  readonly type: 'process';
  readonly command: string;
  readonly args: readonly string[];
  readonly problemMatcher: readonly never[];
  readonly detail: string;
}

/** `wanted`, or `wanted (2)`, `wanted (3)`… when a task of the workspace already has that label. */
export function freeLabel(wanted: string, existing: readonly unknown[]): string {
  const taken = new Set(existing.map((t) => (typeof t === 'object' && t !== null ? (t as { label?: unknown }).label : undefined)).filter((l): l is string => typeof l === 'string'));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n += 1) if (!taken.has(`${wanted} (${n})`)) return `${wanted} (${n})`;
}

export function runTask(label: string, process: Process, where: string): ProcessTask {
  return { label, type: 'process', command: process.file, args: [...process.args], problemMatcher: [], detail: `nerdctl run, saved from the containerd explorer (${where})` };
}
