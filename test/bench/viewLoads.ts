// The three views' load paths, replicated from src/views/{images,containers,snapshots}Tree.ts:
// those classes import vscode and cannot run here, so this calls the same pure functions in the
// same order with the same concurrency, and builds the same root rows (sorted, grouped). Keep in
// step with the views' load() methods.
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { groupByPod } from '../../src/nerdctl/containerNames';
import { listContainerEntries, withTasks, type ContainerEntry } from '../../src/containerd/containers/containers';
import { BlobCache, listImages, resolveImage } from '../../src/containerd/images/images';
import { snapshotTree, type SnapshotNode } from '../../src/containerd/snapshots/snapshotTree';
import { listSnapshots, listSnapshotters } from '../../src/containerd/snapshots/snapshots';
import { listTasks } from '../../src/containerd/tasks/tasks';
import { compareContainers } from '../../src/model/containerRows';
import { mapLimit } from '../../src/model/mapLimit';

/** imagesTree.ts resolveConcurrency, and the 32 of snapshotsTree.ts imageRefs. */
export const resolveConcurrency = 32;

export type ViewName = 'images' | 'containers' | 'snapshots';
export const viewNames: readonly ViewName[] = ['images', 'containers', 'snapshots'];

/** What the views keep between loads: image documents by digest, container records until a /containers/* event. */
export interface ViewCaches {
  readonly blobs: BlobCache;
  readonly containerEntries: Map<string, ContainerEntry[]>;
  /** The Snapshots view's rows per namespace, kept until a snapshot, container or image event. */
  readonly snapshotRows: Map<string, number>;
}

export function newViewCaches(): ViewCaches {
  return { blobs: new BlobCache(), containerEntries: new Map(), snapshotRows: new Map() };
}

/** What a load produced: the number of rows the tree would show (its items, all levels). */
export type ViewLoad = (api: ContainerdApi, namespace: string, caches: ViewCaches) => Promise<number>;

/** ImagesTree.load for one namespace: list, resolve each (32 at once), group by repository. */
async function loadImages(api: ContainerdApi, namespace: string, { blobs: cache }: ViewCaches): Promise<number> {
  const records = await listImages(api, namespace);
  const rows = await mapLimit(records, resolveConcurrency, async (record) => ({ record, resolved: await resolveImage(api, namespace, record, cache) }));
  const groups = new Map<string, typeof rows>();
  for (const row of [...rows].sort((a, b) => a.record.name.localeCompare(b.record.name))) {
    const repository = row.resolved.dangling ? '<none>' : row.resolved.repository ?? row.record.name;
    groups.set(repository, [...(groups.get(repository) ?? []), row]);
  }
  return groups.size + rows.length;
}

/**
 * ContainersTree.load for one namespace: the records (ListStream, kept while no /containers/*
 * event came) joined with a fresh Tasks.List, sorted by name, pods grouped.
 */
async function loadContainers(api: ContainerdApi, namespace: string, caches: ViewCaches): Promise<number> {
  let entries = caches.containerEntries.get(namespace);
  const tasksRead = listTasks(api, namespace);
  if (!entries) {
    entries = await listContainerEntries(api, namespace);
    caches.containerEntries.set(namespace, entries);
  }
  const containers = withTasks(entries, await tasksRead);
  const { pods, standalone } = groupByPod([...containers].sort(compareContainers('name')));
  return pods.reduce((sum, pod) => sum + 1 + pod.sandboxes.length + pod.containers.length, standalone.length);
}

function countNodes(nodes: readonly SnapshotNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countNodes(node.children), 0);
}

/**
 * SnapshotsTree.load for one namespace: snapshotters and each snapshotter's list make the rows;
 * which container and image uses which snapshot is filled in after the rows are shown (the view
 * repaints then), so it is not part of this time. Rows are kept while no event touches them.
 */
async function loadSnapshots(api: ContainerdApi, namespace: string, caches: ViewCaches): Promise<number> {
  const kept = caches.snapshotRows.get(namespace);
  if (kept !== undefined) return kept;
  const snapshotters = await listSnapshotters(api);
  const children = await Promise.all(snapshotters.filter((s) => s.ok).map(async (snapshotter) => {
    const snapshots = await listSnapshots(api, namespace, snapshotter.name);
    return { roots: snapshotTree(snapshots) };
  }));
  const shown = children.filter((c) => c.roots.length > 0);
  const rows = shown.reduce((sum, c) => sum + 1 + countNodes(c.roots), 0);
  caches.snapshotRows.set(namespace, rows);
  return rows;
}

export const viewLoads: Readonly<Record<ViewName, ViewLoad>> = { images: loadImages, containers: loadContainers, snapshots: loadSnapshots };

/** The ctr command each view is compared with. */
export const ctrEquivalents: Readonly<Record<ViewName, readonly string[]>> = {
  images: ['images', 'ls'],
  containers: ['containers', 'ls'],
  snapshots: ['snapshots', 'ls'],
};
