// Removing a snapshot, refused with a reason whenever something still needs it. containerd itself
// refuses only a snapshot with children; it would remove one a container, an unpack, a lease or
// an unpacked image still needs (see snapshotHolds.ts).
import type { ContainerdApi } from '../connection/api';
import { ContainerdRequestError } from '../connection/errors';
import { BlobCache } from '../images/blobCache';
import { snapshotHold, type SnapshotHoldReason } from './snapshotHolds';
import { childSnapshots, statSnapshot } from './snapshots';

const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';

function listed(users: readonly string[]): string {
  if (users.length === 0) return 'unknown';
  return users.slice(0, 5).join(', ') + (users.length > 5 ? `, and ${users.length - 5} more` : '');
}

function refusalText(reason: SnapshotHoldReason, snapshot: string, users: readonly string[]): string {
  switch (reason) {
    case 'inUse': return `${snapshot} is the root filesystem of container ${listed(users)}: delete the container first, which removes its snapshot too.`;
    case 'unpacking': return `${snapshot} is an unpack in progress (layer ${listed(users)}): wait for the pull or import to finish; containerd removes it itself afterwards.`;
    case 'leased': return `${snapshot} is held by lease ${listed(users)} (BuildKit's build cache, a pull in progress or a mounted image): end what holds the lease (buildctl prune, ctr images unmount, ...) or delete the lease; containerd then collects the snapshot.`;
    case 'imageLayer': return `${snapshot} is a layer of the unpacked image ${listed(users)}: delete the image instead; containerd then collects its snapshots.`;
    case 'hasChildren': return `${snapshot} cannot be removed: other snapshots are built on it (${listed(users)}). Remove those first (and the containers or images that use them).`;
  }
}

/** A snapshot removal refused because something still needs the snapshot; nothing was removed. */
export class SnapshotRemoveRefusedError extends ContainerdRequestError {
  constructor(readonly reason: SnapshotHoldReason, readonly snapshotter: string, readonly key: string,
    /** What holds it (see SnapshotHold.users). */
    readonly users: readonly string[], address: string, detail: string) {
    super('FAILED_PRECONDITION', `/${snapshotsService}/Remove`, address, detail);
    this.message = refusalText(reason, `Snapshot ${key} (${snapshotter})`, users);
  }
}

export interface RemoveSnapshotOptions {
  /** Image documents already read from this endpoint (the image-layer check resolves every image). */
  readonly blobs?: BlobCache;
}

/**
 * Removes a snapshot unless something holds it. Every refusal is a SnapshotRemoveRefusedError
 * naming what holds the snapshot, and leaves it in place; containerd's own refusal of one that got
 * children meanwhile becomes one too.
 */
export async function removeSnapshot(api: ContainerdApi, namespace: string, snapshotter: string, key: string, options: RemoveSnapshotOptions = {}): Promise<void> {
  const snapshot = await statSnapshot(api, namespace, snapshotter, key);
  const hold = await snapshotHold(api, namespace, snapshot, options.blobs ?? new BlobCache());
  if (hold) throw new SnapshotRemoveRefusedError(hold.reason, snapshotter, key, hold.users, api.address, `held: ${hold.reason} (${hold.users.join(', ')})`);
  const method = api.methods.method<{ snapshotter: string; key: string }, object>(snapshotsService, 'Remove');
  try {
    await api.unary(method, { snapshotter, key }, namespace);
  } catch (error) {
    if (error instanceof ContainerdRequestError && error.code === 'FAILED_PRECONDITION' && /child/i.test(error.detail)) {
      const children = await childSnapshots(api, namespace, snapshotter, key).catch(() => []);
      throw new SnapshotRemoveRefusedError('hasChildren', snapshotter, key, children, api.address, error.detail);
    }
    throw error;
  }
}
