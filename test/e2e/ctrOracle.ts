// ctr as the oracle of what the daemon holds, shared by the runner and the extension-host suite.

/** Runs ctr against the daemon under test; resolves with stdout. */
export type Ctr = (args: readonly string[]) => Promise<string>;

export interface CtrContainer {
  readonly id: string;
  /** `nerdctl/name`, else the id: what the Containers view labels the row with. */
  readonly name: string;
  /** The task state as the view words it, without the exit code: Running, Stopped, Created, ... */
  readonly state: string;
}

const stateWords: Readonly<Record<string, string>> = { RUNNING: 'Running', STOPPED: 'Stopped', PAUSED: 'Paused', PAUSING: 'Pausing', CREATED: 'Created' };

/** The containers of a namespace with their task state, sorted by id. */
export async function ctrContainers(ctr: Ctr, namespace: string): Promise<CtrContainer[]> {
  const ns = ['--namespace', namespace];
  const ids = (await ctr([...ns, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
  // `TASK PID STATUS` rows after a header line.
  const tasks = new Map((await ctr([...ns, 'tasks', 'list'])).split('\n').slice(1)
    .map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 3).map((f): [string, string] => [f[0] ?? '', f[2] ?? '']));
  return Promise.all(ids.map(async (id): Promise<CtrContainer> => {
    const info = JSON.parse(await ctr([...ns, 'containers', 'info', id])) as { Labels?: Record<string, string> };
    const status = tasks.get(id);
    return { id, name: info.Labels?.['nerdctl/name'] ?? id, state: status ? (stateWords[status] ?? status) : 'Created' };
  }));
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

export interface CtrImage { readonly name: string; readonly digest: string; readonly platforms: readonly string[] }

/** `ctr images ls`: REF TYPE DIGEST SIZE (two words) PLATFORMS LABELS. */
export async function ctrImages(ctr: Ctr, namespace: string): Promise<CtrImage[]> {
  return lines(await ctr(['--namespace', namespace, 'images', 'list'])).slice(1).map((line) => {
    const f = line.split(/\s+/);
    return { name: f[0] ?? '', digest: f[2] ?? '', platforms: (f[5] ?? '').split(',').filter(Boolean) };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

export interface CtrTask { readonly pid: number; readonly status: string }

/** `ctr tasks ls`: TASK PID STATUS, by container id. */
export async function ctrTasks(ctr: Ctr, namespace: string): Promise<Map<string, CtrTask>> {
  return new Map(lines(await ctr(['--namespace', namespace, 'tasks', 'list'])).slice(1)
    .map((l) => l.split(/\s+/)).map((f): [string, CtrTask] => [f[0] ?? '', { pid: Number(f[1]), status: f[2] ?? '' }]));
}

/** The labels of a container, as `ctr containers info` has them. */
export async function ctrContainerLabels(ctr: Ctr, namespace: string, id: string): Promise<Record<string, string>> {
  return (JSON.parse(await ctr(['--namespace', namespace, 'containers', 'info', id])) as { Labels?: Record<string, string> }).Labels ?? {};
}

/** The snapshotters that initialized (`ctr plugins ls`, status ok). */
export async function ctrSnapshotters(ctr: Ctr): Promise<string[]> {
  return lines(await ctr(['plugins', 'list'])).map((l) => l.split(/\s+/))
    .filter((f) => f[0] === 'io.containerd.snapshotter.v1' && f.at(-1) === 'ok').map((f) => f[1] ?? '').sort();
}

/** `ctr snapshots ls` keys of one snapshotter (KEY PARENT KIND). */
export async function ctrSnapshotKeys(ctr: Ctr, namespace: string, snapshotter: string): Promise<string[]> {
  return lines(await ctr(['--namespace', namespace, 'snapshots', '--snapshotter', snapshotter, 'list'])).slice(1).map((l) => l.split(/\s+/)[0] ?? '').sort();
}

export interface CtrCounts { readonly images: number; readonly containers: number; readonly snapshots: number }

/** What a namespace holds: images, containers, and snapshots over every working snapshotter. */
export async function ctrCounts(ctr: Ctr, namespace: string): Promise<CtrCounts> {
  const ns = ['--namespace', namespace];
  const [images, containers, snapshots] = await Promise.all([
    ctr([...ns, 'images', 'list', '--quiet']).then((t) => lines(t).length),
    ctr([...ns, 'containers', 'list', '--quiet']).then((t) => lines(t).length),
    ctrSnapshotters(ctr).then((names) => Promise.all(names.map((s) => ctrSnapshotKeys(ctr, namespace, s)))).then((keys) => keys.flat().length),
  ]);
  return { images, containers, snapshots };
}

/** A namespace's labels from `ctr namespaces ls` (NAME LABELS, labels as k=v joined by commas). */
export async function ctrNamespaceLabels(ctr: Ctr, namespace: string): Promise<Record<string, string>> {
  const row = lines(await ctr(['namespaces', 'list'])).slice(1).map((l) => l.split(/\s+/)).find((f) => f[0] === namespace);
  if (!row) throw new Error(`ctr does not list namespace ${namespace}`);
  return Object.fromEntries((row[1] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}
