// Containers of a namespace as the explorer shows them: the record from Containers.ListStream
// (declared without the large OCI spec, see proto/containers.ts) joined with Tasks.List, named
// the way users know them, with nerdctl's published ports. Inspect reads the spec with Get.
import { protoDate, type ContainerdApi, type ProtoAny, type ProtoTimestamp } from '../connection/api';
import { containerName, type ContainerName } from '../../nerdctl/containerNames';
import { localPortsFiles, parseNerdctlPortsLabel, readNerdctlPorts, type PortMapping, type PortsFiles } from '../../nerdctl/ports';
import { nerdctlStateDirLabel } from '../../nerdctl/stateDir';
import type { TaskSummary } from '../tasks/tasks';

const service = 'containerd.services.containers.v1.Containers';

export interface ContainerRecord extends ContainerName {
  readonly namespace: string;
  readonly id: string;
  /** The image reference the container was created from ("" when created without one). */
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** e.g. io.containerd.runc.v2 */
  readonly runtime: string;
  readonly snapshotter: string;
  /** The key of its active (read-write) snapshot in `snapshotter`; "" when it has none. */
  readonly snapshotKey: string;
  readonly createdAt: Date;
  readonly updatedAt?: Date;
  /** The sandbox id (containerd 1.7+ sandboxed containers); absent otherwise. */
  readonly sandbox?: string;
}

export interface ContainerSummary extends ContainerRecord {
  /** Absent when the container has no task (created only, or its task was deleted after it ran). */
  readonly task?: TaskSummary;
  readonly ports: readonly PortMapping[];
  /** Docker's state and status words, for a container of Docker's that its Engine told about. */
  readonly docker?: { readonly state: string; readonly status: string };
}

interface ContainerMessage {
  readonly id: string;
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly runtime: { readonly name: string } | null;
  readonly snapshotter: string;
  readonly snapshot_key: string;
  readonly created_at: ProtoTimestamp | null;
  readonly updated_at: ProtoTimestamp | null;
  readonly sandbox: string;
}
interface FullContainerMessage extends ContainerMessage {
  readonly spec: ProtoAny | null;
  readonly extensions: Record<string, ProtoAny>;
}

function toRecord(namespace: string, c: ContainerMessage): ContainerRecord {
  const updatedAt = protoDate(c.updated_at);
  return {
    namespace,
    id: c.id,
    ...containerName(c.id, c.labels),
    image: c.image,
    labels: c.labels,
    runtime: c.runtime?.name ?? '',
    snapshotter: c.snapshotter,
    snapshotKey: c.snapshot_key,
    createdAt: protoDate(c.created_at) ?? new Date(0),
    ...(updatedAt ? { updatedAt } : {}),
    ...(c.sandbox ? { sandbox: c.sandbox } : {}),
  };
}

export interface ListContainersOptions {
  /**
   * Where and how to read nerdctl's per-container state files for ports (nerdctl >= 2.1.3 keeps
   * them there, see nerdctl/ports.ts); false reads only the labels (for a daemon whose files are
   * elsewhere, such as a socket forwarded from a VM). Defaults to this host's data roots with a
   * read queue of the listing's own; a long-lived caller passes one queue for all its listings.
   */
  readonly portsFiles?: PortsFiles | false | (() => Promise<PortsFiles>);
}

/** The records alone (no tasks, no ports): what snapshot checks and quick lookups need. */
export async function listContainerRecords(api: ContainerdApi, namespace: string): Promise<ContainerRecord[]> {
  const method = api.methods.method<{ filters?: string[] }, { container: ContainerMessage | null }>(service, 'ListStream');
  const messages = await api.streamAll(method, {}, namespace);
  return messages.flatMap((m) => (m.container ? [toRecord(namespace, m.container)] : []));
}

/** A container record with its published ports: what changes only with /containers/* events. */
export type ContainerEntry = Omit<ContainerSummary, 'task'>;

/** The records of a namespace with their ports, without tasks (ListStream order, by id). */
export async function listContainerEntries(api: ContainerdApi, namespace: string, options: ListContainersOptions = {}): Promise<ContainerEntry[]> {
  const records = await listContainerRecords(api, namespace);
  // Asked only when a container has a nerdctl state dir: the caller may still be learning where
  // nerdctl keeps its data (nerdctl.toml, read with the endpoints).
  const needsFiles = records.some((r) => r.labels[nerdctlStateDirLabel]);
  const given = options.portsFiles;
  // A `false` option (labels only) passes the `??` unchanged.
  const files = needsFiles && (typeof given === 'function' ? await given() : (given ?? localPortsFiles()));
  return Promise.all(records.map(async (record) => {
    const ports = files !== false && record.labels[nerdctlStateDirLabel]
      ? await readNerdctlPorts(record, files)
      : parseNerdctlPortsLabel(record.labels);
    return { ...record, ports };
  }));
}

/** Joins entries with the namespace's tasks (Tasks.List is cheap; ListStream is not). */
export function withTasks(entries: readonly ContainerEntry[], tasks: ReadonlyMap<string, TaskSummary>): ContainerSummary[] {
  return entries.map((entry) => {
    const task = tasks.get(entry.id);
    return task ? { ...entry, task } : { ...entry };
  });
}

export interface ContainerSpec {
  readonly record: ContainerRecord;
  /** The OCI runtime spec (config.json) as parsed JSON; undefined when the container has none. */
  readonly spec?: unknown;
  /** The spec's Any type URL (types.containerd.io/opencontainers/runtime-spec/1/Spec). */
  readonly specType?: string;
  /** Names of the container's extensions (CRI metadata, for example) with their type URLs. */
  readonly extensions: Readonly<Record<string, string>>;
}

/** One container's full record and OCI spec, for inspect. NOT_FOUND when it does not exist. */
export async function getContainerSpec(api: ContainerdApi, namespace: string, id: string): Promise<ContainerSpec> {
  const method = api.methods.method<{ id: string }, { container: FullContainerMessage | null }>(service, 'Get');
  const res = await api.unary(method, { id }, namespace);
  const c = res.container;
  if (!c) throw new Error(`containerd answered Containers.Get for ${id} without a container`);
  const extensions = Object.fromEntries(Object.entries(c.extensions).map(([name, any]) => [name, any.type_url]));
  if (!c.spec) return { record: toRecord(namespace, c), extensions };
  let spec: unknown;
  try {
    // containerd stores the spec as JSON in the Any's value, whatever its type URL says.
    spec = JSON.parse(Buffer.from(c.spec.value).toString('utf8')) as unknown;
  } catch (error) {
    throw new Error(`the OCI spec of container ${id} (${c.spec.type_url}) is not JSON: ${(error as Error).message}`);
  }
  return { record: toRecord(namespace, c), spec, specType: c.spec.type_url, extensions };
}
