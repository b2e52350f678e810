// The name users know a container by, and the Kubernetes pod it belongs to, read from its labels
// the way nerdctl does (pkg/containerutil GetContainerName): `nerdctl/name` first, then the labels
// the CRI plugin sets on pod sandboxes and their containers, else the id.

export const nerdctlNameLabel = 'nerdctl/name';
export const k8sLabels = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** The CRI plugin's "sandbox" (the pause container) or "container". */
  criKind: 'io.cri-containerd.kind',
} as const;

export type NameSource = 'nerdctl' | 'kubernetes' | 'docker' | 'id';

export interface PodRef {
  readonly name: string;
  /** The Kubernetes namespace (not containerd's, which is k8s.io for CRI). */
  readonly namespace: string;
  /** Empty when the label is missing (hand-made labels). */
  readonly uid: string;
  /** The pod's sandbox (pause) container rather than one of its workloads. */
  readonly sandbox: boolean;
}

export interface ContainerName {
  readonly name: string;
  readonly nameSource: NameSource;
  readonly pod?: PodRef;
}

export function podOf(labels: Readonly<Record<string, string>>): PodRef | undefined {
  const name = labels[k8sLabels.podName];
  const namespace = labels[k8sLabels.podNamespace];
  if (!name || !namespace) return undefined;
  const kind = labels[k8sLabels.criKind];
  const sandbox = kind ? kind === 'sandbox' : !labels[k8sLabels.containerName];
  return { name, namespace, uid: labels[k8sLabels.podUid] ?? '', sandbox };
}

/**
 * A workload is named by its Kubernetes container name (the tree shows it under its pod), a
 * sandbox by its pod's name. nerdctl's own label wins: nerdctl sets it on what it creates.
 */
export function containerName(id: string, labels: Readonly<Record<string, string>>): ContainerName {
  const pod = podOf(labels);
  const podPart = pod ? { pod } : {};
  const nerdctlName = labels[nerdctlNameLabel];
  if (nerdctlName) return { name: nerdctlName, nameSource: 'nerdctl', ...podPart };
  if (pod) return { name: pod.sandbox ? pod.name : labels[k8sLabels.containerName] ?? pod.name, nameSource: 'kubernetes', pod };
  return { name: id, nameSource: 'id' };
}

export interface PodGroup<T> {
  /** The pod's uid when known, else namespace/name: two pods of one name in turn are distinct by uid. */
  readonly key: string;
  readonly pod: Omit<PodRef, 'sandbox'>;
  /** The sandbox container(s) of the pod, then its workloads, each in input order. */
  readonly sandboxes: readonly T[];
  readonly containers: readonly T[];
}

export interface GroupedByPod<T> {
  readonly pods: readonly PodGroup<T>[];
  /** Containers outside any pod (nerdctl, ctr, Docker's), in input order. */
  readonly standalone: readonly T[];
}

/** Groups CRI containers by pod; pods are ordered by namespace, then name. */
export function groupByPod<T extends { readonly pod?: PodRef }>(containers: readonly T[]): GroupedByPod<T> {
  const groups = new Map<string, { pod: Omit<PodRef, 'sandbox'>; sandboxes: T[]; containers: T[] }>();
  const standalone: T[] = [];
  for (const container of containers) {
    const pod = container.pod;
    if (!pod) {
      standalone.push(container);
      continue;
    }
    const key = pod.uid || `${pod.namespace}/${pod.name}`;
    let group = groups.get(key);
    if (!group) {
      group = { pod: { name: pod.name, namespace: pod.namespace, uid: pod.uid }, sandboxes: [], containers: [] };
      groups.set(key, group);
    }
    (pod.sandbox ? group.sandboxes : group.containers).push(container);
  }
  const pods = [...groups.entries()].map(([key, group]) => ({ key, ...group }));
  pods.sort((a, b) => a.pod.namespace.localeCompare(b.pod.namespace) || a.pod.name.localeCompare(b.pod.name) || a.key.localeCompare(b.key));
  return { pods, standalone };
}
