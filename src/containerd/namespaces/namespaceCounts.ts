// How many images, containers and snapshots a namespace holds, for the Namespaces view.
import type { ContainerdApi } from '../connection/api';
import { listContainerRecords } from '../containers/containers';
import { listImages } from '../images/images';
import { listSnapshots } from '../snapshots/snapshots';

export interface NamespaceCounts {
  readonly images: number;
  readonly containers: number;
  /** Over every working snapshotter given. */
  readonly snapshots: number;
}

export type CountedArea = keyof NamespaceCounts;
export const countedAreas: readonly CountedArea[] = ['images', 'containers', 'snapshots'];

/**
 * Counts the given areas of a namespace, the others copied from `previous` (an event batch that
 * touched only containers re-lists only containers). Without `previous`, every area is counted.
 */
export async function namespaceCounts(api: ContainerdApi, namespace: string, snapshotters: readonly string[],
  areas: ReadonlySet<CountedArea> = new Set(countedAreas), previous?: NamespaceCounts): Promise<NamespaceCounts> {
  const count = (area: CountedArea, list: () => Promise<number>): number | Promise<number> => (previous && !areas.has(area) ? previous[area] : list());
  const [images, containers, snapshots] = await Promise.all([
    count('images', () => listImages(api, namespace).then((l) => l.length)),
    count('containers', () => listContainerRecords(api, namespace).then((l) => l.length)),
    count('snapshots', () => Promise.all(snapshotters.map((s) => listSnapshots(api, namespace, s))).then((lists) => lists.reduce((n, list) => n + list.length, 0))),
  ]);
  return { images, containers, snapshots };
}

export function countsText(counts: NamespaceCounts): string {
  const part = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return [part(counts.images, 'image'), part(counts.containers, 'container'), part(counts.snapshots, 'snapshot')].join(' · ');
}
