// The three views' load paths, replicated from src/views/{images,containers,snapshots}Tree.ts:
// those classes import vscode and cannot run here, so this calls the same pure functions in the
// same order with the same concurrency, and builds the same root rows (sorted, grouped). Keep in
// step with the views' load() methods. A load resolves when its rows would show; `settled`, when
// the work it goes on with has ended (image platforms and sizes, snapshot users).
import type { ContainerdApi } from '../../src/containerd/connection/api';
import { groupByPod } from '../../src/nerdctl/containerNames';
import { listContainerEntries, listContainerRecords, withTasks, type ContainerEntry } from '../../src/containerd/containers/containers';
import { BlobCache, chainIds, listImages, resolveImage } from '../../src/containerd/images/images';
import { BlobStore } from '../../src/containerd/images/blobStore';
import { snapshotTree, snapshotUsers, type SnapshotNode } from '../../src/containerd/snapshots/snapshotTree';
import { listSnapshots, listSnapshotters, type SnapshotInfo } from '../../src/containerd/snapshots/snapshots';
import { listTasks } from '../../src/containerd/tasks/tasks';
import { compareContainers } from '../../src/model/containerRows';
import { listImageRows, resolveImageRows } from '../../src/model/imageRows';
import { mapLimit } from '../../src/model/mapLimit';

/** snapshotsTree.ts imageRefs: images resolved at once. */
const resolveConcurrency = 32;

export type ViewName = 'images' | 'containers' | 'snapshots';
export const viewNames: readonly ViewName[] = ['images', 'containers', 'snapshots'];

/** What the views keep between loads: image documents by digest, container records until a /containers/* event. */
export interface ViewCaches {
  readonly blobs: BlobCache;
  readonly containerEntries: Map<string, ContainerEntry[]>;
  /** The Snapshots view's rows per namespace, kept until a snapshot, container or image event. */
  readonly snapshotRows: Map<string, number>;
}

/** `storeFolder`: documents persisted there, as the extension keeps them in its global storage. */
export function newViewCaches(storeFolder?: string): ViewCaches {
  const store = storeFolder === undefined ? undefined : new BlobStore(storeFolder);
  return { blobs: new BlobCache({ store }), containerEntries: new Map(), snapshotRows: new Map() };
}

/** What a load produced: the number of rows the tree would show (its items, all levels), and the work that goes on. */
export interface ViewLoadResult { readonly rows: number; readonly settled: Promise<unknown> }
export type ViewLoad = (api: ContainerdApi, namespace: string, caches: ViewCaches) => Promise<ViewLoadResult>;

/** ImagesTree.load for one namespace: list, group by repository; resolving every image goes on after. */
async function loadImages(api: ContainerdApi, namespace: string, { blobs }: ViewCaches): Promise<ViewLoadResult> {
  const listed = await listImageRows(api, api.address, [namespace]);
  const rows = listed.flatMap((n) => n.rows);
  const groups = new Map<string, number>();
  for (const row of [...rows].sort((a, b) => a.record.name.localeCompare(b.record.name))) {
    const repository = row.reference.dangling ? '<none>' : row.reference.repository ?? row.record.name;
    groups.set(repository, (groups.get(repository) ?? 0) + 1);
  }
  return { rows: groups.size + rows.length, settled: resolveImageRows(api, blobs, listed) };
}

/**
 * ContainersTree.load for one namespace: the records (ListStream, kept while no /containers/*
 * event came) joined with a fresh Tasks.List, sorted by name, pods grouped.
 */
async function loadContainers(api: ContainerdApi, namespace: string, caches: ViewCaches): Promise<ViewLoadResult> {
  let entries = caches.containerEntries.get(namespace);
  const tasksRead = listTasks(api, namespace);
  if (!entries) {
    entries = await listContainerEntries(api, namespace);
    caches.containerEntries.set(namespace, entries);
  }
  const containers = withTasks(entries, await tasksRead);
  const { pods, standalone } = groupByPod([...containers].sort(compareContainers('name')));
  return { rows: pods.reduce((sum, pod) => sum + 1 + pod.sandboxes.length + pod.containers.length, standalone.length), settled: Promise.resolve() };
}

function countNodes(nodes: readonly SnapshotNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countNodes(node.children), 0);
}

/**
 * SnapshotsTree.load for one namespace: snapshotters and each snapshotter's list make the rows;
 * which container and image uses which snapshot is filled in after the rows are shown (the view
 * repaints then): that is `settled`. Rows are kept while no event touches them.
 */
async function loadSnapshots(api: ContainerdApi, namespace: string, caches: ViewCaches): Promise<ViewLoadResult> {
  const kept = caches.snapshotRows.get(namespace);
  if (kept !== undefined) return { rows: kept, settled: Promise.resolve() };
  const snapshotters = await listSnapshotters(api);
  const children = await Promise.all(snapshotters.filter((s) => s.ok).map(async (snapshotter) => {
    const snapshots = await listSnapshots(api, namespace, snapshotter.name);
    return { snapshots, roots: snapshotTree(snapshots) };
  }));
  const shown = children.filter((c) => c.roots.length > 0);
  const rows = shown.reduce((sum, c) => sum + 1 + countNodes(c.roots), 0);
  caches.snapshotRows.set(namespace, rows);
  return { rows, settled: snapshotUsersOf(api, namespace, caches.blobs, shown.map((c) => c.snapshots)) };
}

/** SnapshotsTree.fillUsers: containers (one ListStream), then every image resolved for its top layer. */
async function snapshotUsersOf(api: ContainerdApi, namespace: string, blobs: BlobCache, lists: readonly (readonly SnapshotInfo[])[]): Promise<void> {
  const containers = await listContainerRecords(api, namespace);
  for (const snapshots of lists) snapshotUsers(snapshots, containers);
  const images = await listImages(api, namespace);
  const resolved = await mapLimit(images, resolveConcurrency, (image) => resolveImage(api, namespace, image, blobs));
  const refs = resolved.flatMap((image) => image.platforms.flatMap((p) => {
    const top = chainIds(p.diffIds).at(-1);
    return top ? [{ name: `${image.name} (${p.platform})`, chainId: top }] : [];
  }));
  for (const snapshots of lists) snapshotUsers(snapshots, containers, refs);
}

export const viewLoads: Readonly<Record<ViewName, ViewLoad>> = { images: loadImages, containers: loadContainers, snapshots: loadSnapshots };

/** The ctr command each view is compared with. */
export const ctrEquivalents: Readonly<Record<ViewName, readonly string[]>> = {
  images: ['images', 'ls'],
  containers: ['containers', 'ls'],
  snapshots: ['snapshots', 'ls'],
};
