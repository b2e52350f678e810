// What keeps a snapshot from being removed: a container's root filesystem, an unpack in progress,
// snapshots built on it (the one thing containerd checks itself), a lease (BuildKit's cache, a
// pull, a mounted image), or an unpacked image whose layer chain it is. Removing any of the others
// would break its holder: containerd would let it go.
import type { ContainerdApi } from '../connection/api';
import { listContainerRecords } from '../containers/containers';
import type { BlobCache } from '../images/blobCache';
import { imageChains } from '../images/imageChains';
import { leasesHoldingSnapshot } from '../leases/leases';
import { childSnapshots, type SnapshotInfo } from './snapshots';

export type SnapshotHoldReason = 'inUse' | 'unpacking' | 'hasChildren' | 'leased' | 'imageLayer';

export interface SnapshotHold {
  readonly reason: SnapshotHoldReason;
  /** Container ids, the layer being unpacked, child snapshot keys, lease ids, or images with their platform. */
  readonly users: readonly string[];
}

/** containerd's unpack key: `extract-<unique> <chainID>` (snapshots.UnpackKeyFormat). */
const unpackKey = /^extract-\S+ (\S+)$/;

/** Images of the namespace, per platform, whose layer chain includes the committed snapshot `key`. */
async function imagesOnLayer(api: ContainerdApi, namespace: string, key: string, blobs: BlobCache): Promise<string[]> {
  return (await imageChains(api, namespace, blobs, 8)).filter((image) => image.chain.includes(key)).map((image) => image.name);
}

/** The first holder found, cheapest checks first; undefined when nothing holds the snapshot. */
export async function snapshotHold(api: ContainerdApi, namespace: string, snapshot: SnapshotInfo, blobs: BlobCache): Promise<SnapshotHold | undefined> {
  const { snapshotter, key } = snapshot;
  const containers = (await listContainerRecords(api, namespace)).filter((c) => c.snapshotter === snapshotter && c.snapshotKey === key).map((c) => c.id);
  if (containers.length > 0) return { reason: 'inUse', users: containers };
  const unpacking = snapshot.kind === 'active' ? unpackKey.exec(key)?.[1] : undefined;
  if (unpacking) return { reason: 'unpacking', users: [unpacking] };
  const children = await childSnapshots(api, namespace, snapshotter, key);
  if (children.length > 0) return { reason: 'hasChildren', users: children };
  const leases = await leasesHoldingSnapshot(api, namespace, snapshotter, key);
  if (leases.length > 0) return { reason: 'leased', users: leases };
  if (snapshot.kind !== 'committed') return undefined;
  const images = await imagesOnLayer(api, namespace, key, blobs);
  return images.length > 0 ? { reason: 'imageLayer', users: images } : undefined;
}
