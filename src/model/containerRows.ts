// How the Containers view words and orders containers; free of vscode so it is unit-tested.
import type { ContainerSort } from '../config';
import type { ContainerSummary } from '../containerd/containers/containers';

/** Created / Running / Paused / Stopped (exit code), as a person reads a task. */
export function stateText(container: ContainerSummary): string {
  const task = container.task;
  if (!task) return 'Created';
  switch (task.state) {
    case 'running': return 'Running';
    case 'paused': return 'Paused';
    case 'pausing': return 'Pausing';
    case 'created': return 'Created';
    case 'stopped': return `Stopped (${task.exitStatus ?? 0})`;
    default: return 'Unknown';
  }
}

const stateRank: Readonly<Record<string, number>> = { running: 0, pausing: 1, paused: 1, created: 2, none: 2, unknown: 3, stopped: 4 };

/** The order of the Containers view; ties fall back to the name, then the id. */
export function compareContainers(sortBy: ContainerSort): (a: ContainerSummary, b: ContainerSummary) => number {
  const byName = (a: ContainerSummary, b: ContainerSummary): number => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  if (sortBy === 'created') return (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byName(a, b);
  if (sortBy === 'state') return (a, b) => (stateRank[a.task?.state ?? 'none'] ?? 3) - (stateRank[b.task?.state ?? 'none'] ?? 3) || byName(a, b);
  return byName;
}
