// How many images, containers and snapshots a namespace holds, for the Namespaces view.
import type { ContainerdApi } from './api';
import { listContainerRecords } from './containers';
import { listImages } from './images';
import { listSnapshots } from './snapshots';

export interface NamespaceCounts {
  readonly images: number;
  readonly containers: number;
  /** Over every working snapshotter given. */
  readonly snapshots: number;
}

export async function namespaceCounts(api: ContainerdApi, namespace: string, snapshotters: readonly string[]): Promise<NamespaceCounts> {
  const [images, containers, snapshots] = await Promise.all([
    listImages(api, namespace),
    listContainerRecords(api, namespace),
    Promise.all(snapshotters.map((s) => listSnapshots(api, namespace, s))),
  ]);
  return { images: images.length, containers: containers.length, snapshots: snapshots.reduce((n, list) => n + list.length, 0) };
}

export function countsText(counts: NamespaceCounts): string {
  const part = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return [part(counts.images, 'image'), part(counts.containers, 'container'), part(counts.snapshots, 'snapshot')].join(' · ');
}
