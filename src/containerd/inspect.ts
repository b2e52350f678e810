// What the read-only inspect documents show, as plain JSON-able objects: a container (record,
// task, OCI spec), an image (its index, and each platform's manifest and config), a snapshot
// (info and usage), a namespace (labels and what it holds), a container's stats and processes.
import type { ContainerdApi } from './connection/api';
import { maxDocumentBytes, readBlob } from './images/blobCache';
import { getContainerSpec, listContainerRecords } from './containers/containers';
import { getImage, listImages, resolveImage, type BlobCache } from './images/images';
import { listSnapshots, listSnapshotters, snapshotUsage, statSnapshot } from './snapshots/snapshots';
import { taskMetrics, taskPids } from './tasks/taskPayloads';
import { getTask } from './tasks/tasks';
import { isNotFound } from './connection/errors';

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return `<${bytes.length} bytes, not JSON>`;
  }
}

/** The task, or undefined when the container has none (NOT_FOUND). */
async function taskOrNone(api: ContainerdApi, namespace: string, id: string): Promise<Awaited<ReturnType<typeof getTask>> | undefined> {
  try {
    return await getTask(api, namespace, id);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function inspectContainer(api: ContainerdApi, namespace: string, id: string): Promise<unknown> {
  const [spec, task] = await Promise.all([getContainerSpec(api, namespace, id), taskOrNone(api, namespace, id)]);
  return { ...spec.record, task: task ?? null, extensions: spec.extensions, specType: spec.specType, spec: spec.spec ?? null };
}

/**
 * `blobs`: the endpoint's cache, whose read limiter every content read here shares with the views
 * (the documents themselves are read afresh, as containerd holds them).
 */
export async function inspectImage(api: ContainerdApi, namespace: string, name: string, blobs: BlobCache): Promise<unknown> {
  const record = await getImage(api, namespace, name);
  if (!record) throw new Error(`image ${name} does not exist in namespace ${namespace}`);
  const resolved = await resolveImage(api, namespace, record, blobs);
  const read = async (digest: string | undefined): Promise<unknown> => (digest
    ? blobs.reads.run(() => readBlob(api, namespace, digest, maxDocumentBytes)).then(parseJson, (error: unknown) => `<not available: ${(error as Error).message}>`)
    : null);
  const index = resolved.kind === 'index' ? await read(record.target.digest) : undefined;
  const platforms = await Promise.all(resolved.platforms.map(async (p) => ({
    platform: p.platform,
    available: p.available,
    contentSize: p.contentSize ?? null,
    missing: p.missing,
    manifestDigest: p.manifest.digest,
    manifest: await read(p.manifest.digest),
    configDigest: p.config?.digest ?? null,
    config: await read(p.config?.digest),
  })));
  return { ...record, repository: resolved.repository, tag: resolved.tag, dangling: resolved.dangling, contentSize: resolved.contentSize, ...(index !== undefined ? { index } : {}), platforms };
}

export async function inspectSnapshot(api: ContainerdApi, namespace: string, snapshotter: string, key: string): Promise<unknown> {
  const [info, usage] = await Promise.all([statSnapshot(api, namespace, snapshotter, key), snapshotUsage(api, namespace, snapshotter, key)]);
  return { ...info, usage };
}

export async function inspectNamespace(api: ContainerdApi, namespace: string, labels: Readonly<Record<string, string>>): Promise<unknown> {
  const snapshotters = (await listSnapshotters(api)).filter((s) => s.ok);
  const [images, containers, snapshots] = await Promise.all([
    listImages(api, namespace),
    listContainerRecords(api, namespace),
    Promise.all(snapshotters.map(async (s) => [s.name, (await listSnapshots(api, namespace, s.name)).length] as const)),
  ]);
  return {
    name: namespace,
    labels,
    images: images.map((i) => i.name),
    containers: containers.map((c) => ({ id: c.id, name: c.name, image: c.image })),
    snapshots: Object.fromEntries(snapshots),
  };
}

/**
 * A Linux spec without linux.cgroupsPath: runc made no cgroup for the container (nerdctl leaves it
 * out for a rootless container on a cgroup v1 host). containerd then reports the host's root
 * cgroup as its metrics, and ListPids fails.
 */
export function hasNoCgroup(spec: unknown): boolean {
  if (typeof spec !== 'object' || spec === null) return false;
  const linux = (spec as { linux?: unknown }).linux;
  if (typeof linux !== 'object' || linux === null) return false;
  const path = (linux as { cgroupsPath?: unknown }).cgroupsPath;
  return typeof path !== 'string' || path === '';
}

/** CPU, memory and pids of a running task (Tasks.Metrics) and its processes (Tasks.ListPids). */
export async function containerStats(api: ContainerdApi, namespace: string, id: string): Promise<unknown> {
  const { spec } = await getContainerSpec(api, namespace, id);
  if (hasNoCgroup(spec)) {
    return { container: id, namespace, metrics: null, processes: null, note: 'This container has no cgroup of its own (its spec sets no linux.cgroupsPath, as nerdctl does for a rootless container on a cgroup v1 host): containerd has no statistics or process list for it, and what it would report are the host\'s numbers.' };
  }
  const [metrics, processes] = await Promise.all([taskMetrics(api, namespace, id), taskPids(api, namespace, id)]);
  return { container: id, namespace, metrics, processes };
}
