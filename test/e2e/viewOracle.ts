// The rows a person should see for what ctr reports, in the views' order, written from the
// conventions users know (nerdctl's names, Kubernetes' pods), not from the extension's code.
import { ctrContainerLabels, ctrImages, type Ctr } from './ctrOracle';

export interface ExpectedRow { readonly label: string; readonly level: number }

/**
 * Repository rows, then their tags, in the order of the names. A name without a tag (a digest
 * reference, or the `sha256:<id>` name the CRI plugin gives an image it runs) shows as <none>
 * under <none>, as nerdctl images shows it.
 */
export async function expectedImageRows(ctr: Ctr, namespace: string): Promise<ExpectedRow[]> {
  const byRepository = new Map<string, string[]>();
  for (const { name } of await ctrImages(ctr, namespace)) {
    const tagged = name.startsWith('sha256:') ? null : /^(?:docker\.io\/library\/)?([^@]+):([\w][\w.-]*)$/.exec(name);
    const [repository, tag] = tagged?.[1] && tagged[2] ? [tagged[1], tagged[2]] : ['<none>', '<none>'];
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), tag]);
  }
  return [...byRepository].flatMap(([repository, tags]) => [{ label: repository, level: 1 }, ...tags.map((label) => ({ label, level: 2 }))]);
}

interface Named { readonly id: string; readonly name: string }

/**
 * Pods first (by Kubernetes namespace, then name), each holding its sandbox, named after the pod,
 * then its workloads by container name; then the other containers by nerdctl name, else id.
 */
export async function expectedContainerRows(ctr: Ctr, namespace: string): Promise<ExpectedRow[]> {
  const ids = (await ctr(['--namespace', namespace, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean);
  const pods = new Map<string, { name: string; k8sNamespace: string; sandboxes: Named[]; workloads: Named[] }>();
  const standalone: Named[] = [];
  for (const id of ids) {
    const labels = await ctrContainerLabels(ctr, namespace, id);
    const podName = labels['io.kubernetes.pod.name'];
    const uid = labels['io.kubernetes.pod.uid'];
    if (!podName || !uid) {
      standalone.push({ id, name: labels['nerdctl/name'] ?? id });
      continue;
    }
    const pod = pods.get(uid) ?? { name: podName, k8sNamespace: labels['io.kubernetes.pod.namespace'] ?? '', sandboxes: [], workloads: [] };
    pods.set(uid, pod);
    if (labels['io.cri-containerd.kind'] === 'sandbox') pod.sandboxes.push({ id, name: podName });
    else pod.workloads.push({ id, name: labels['io.kubernetes.container.name'] ?? id });
  }
  const byName = (a: Named, b: Named): number => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  return [
    ...[...pods.values()].sort((a, b) => a.k8sNamespace.localeCompare(b.k8sNamespace) || a.name.localeCompare(b.name)).flatMap((pod) => [
      { label: pod.name, level: 1 },
      ...[...pod.sandboxes.sort(byName), ...pod.workloads.sort(byName)].map((c) => ({ label: c.name, level: 2 })),
    ]),
    ...standalone.sort(byName).map((c) => ({ label: c.name, level: 1 })),
  ];
}

/** The rendered rows as `label@level`, for comparing with the expected ones. */
export function rowsWithLevels(state: { readonly rows: readonly string[]; readonly levels: readonly number[] }): string[] {
  return state.rows.map((row, i) => `${row}@${state.levels[i] ?? 0}`);
}

export function expectedText(rows: readonly ExpectedRow[]): string[] {
  return rows.map((r) => `${r.label}@${r.level}`);
}

/** The top-level rows that hold others (repositories, pods): the ones to expand. */
export function parentLabels(rows: readonly ExpectedRow[]): string[] {
  return rows.filter((row, i) => row.level === 1 && rows[i + 1]?.level === 2).map((row) => row.label);
}
