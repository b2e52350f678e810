// Containers with their tasks in one call, for tests and the benchmark: the join the Containers
// view makes (records kept between events, tasks read each time), without the keeping.
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { listContainerEntries, withTasks, type ListContainersOptions, type ContainerSummary } from '../../src/containerd/containers/containers';
import { listTasks } from '../../src/containerd/tasks/tasks';

export async function listContainers(api: ContainerdApi, namespace: string, options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
  const [entries, tasks] = await Promise.all([listContainerEntries(api, namespace, options), listTasks(api, namespace)]);
  return withTasks(entries, tasks);
}
