// Docker's containers in the explorer: in Docker's containerd namespace a container is named by
// Docker's name (where nothing better names it) and carries Docker's state and status words.
import type { ContainerEntry } from '../containerd/containers/containers';
import type { DockerContainer, DockerContainers } from './dockerEngine';

/** Docker keeps its containers in this containerd namespace. */
export const dockerNamespace = 'moby';

export type DockerEntry = ContainerEntry & { readonly docker?: Pick<DockerContainer, 'state' | 'status'> };

export function withDockerNames(entries: readonly ContainerEntry[], docker: DockerContainers): DockerEntry[] {
  if (!docker.ok) return [...entries];
  return entries.map((entry) => {
    const known = docker.byId.get(entry.id);
    if (!known) return entry;
    // A nerdctl or Kubernetes name the labels give is the one its own tools use; only the bare id is replaced.
    const named = entry.nameSource === 'id' ? { name: known.name, nameSource: 'docker' as const } : {};
    return { ...entry, ...named, docker: { state: known.state, status: known.status } };
  });
}
