// A container's changes against its image (what `docker diff` shows), computed by containerd's own
// Diff service: the daemon mounts a read-only view of the image's top layer and the container's
// snapshot and writes the difference as a layer tar into its content store. That works for any
// snapshotter the daemon can mount, needs no exec into the container and no privilege beyond the
// socket (the mounts are made by the daemon, not by us).
//
// What the diff creates (the view, the blob) would be collected by containerd's GC at once, so it
// is made under a lease of our own, sent in the `containerd-lease` header; the lease expires by
// itself after a few minutes, so a crash or a daemon restart leaves nothing behind for long.
import { randomBytes } from 'node:crypto';
import { longToNumber, type CallOptions, type ContainerdApi } from '../connection/api';
import { isNotFound } from '../connection/errors';
import type { BlobDescriptor } from '../images/imageManifests';
import { statSnapshot } from '../snapshots/snapshots';
import { explainDiffFailure, leftBehindError, noMountsError, noSnapshotError, type DiffStep, type DiffSubject, type LeftBehind } from './containerDiffErrors';

const leasesService = 'containerd.services.leases.v1.Leases';
const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';
const diffService = 'containerd.services.diff.v1.Diff';

/** An uncompressed layer tar: the reader lists it as it streams, with nothing to inflate. */
export const diffMediaType = 'application/vnd.oci.image.layer.v1.tar';
/** containerd's GC removes a lease with this label (RFC 3339) once the time has passed. */
export const leaseExpireLabel = 'containerd.io/gc.expire';
/** Names the container a lease was made for, for whoever reads `ctr leases ls`. */
export const leaseContainerLabel = 'vscode-containerd/diff-of';
/**
 * Long enough for a large diff to be computed and read, short enough that a crash's leftovers
 * (view, blob) do not sit on disk for long. GC runs on the daemon's own schedule, so "after".
 */
export const leaseLifetimeMs = 10 * 60 * 1000;
/**
 * A tar of no entries (its end marker alone, 1024 zero bytes): what every version's differ
 * writes for a container that changed nothing, so that needs no reading.
 */
export const emptyTarDigest = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

interface WireMount { readonly type: string; readonly source: string; readonly target: string; readonly options: readonly string[] }
interface WireDescriptor { readonly media_type: string; readonly digest: string; readonly size: number | string; readonly annotations: Record<string, string> }

export interface ContainerDiff {
  /** An uncompressed tar of the changes (`.wh.` whiteouts for deletions), in the namespace's content store until release(). */
  readonly descriptor: BlobDescriptor;
  /** The tar holds no entries: the container changed nothing. */
  readonly unchanged: boolean;
  /** The snapshot compared against (the image's top layer); absent for a snapshot with no parent, compared with an empty tree. */
  readonly parent?: string;
  /** The lease holding the view and the blob. */
  readonly lease: string;
  /** When containerd may collect them by itself if release() never comes. */
  readonly expires: Date;
  /**
   * Removes the view and ends the lease with a synchronous GC, so the blob is gone when it
   * resolves. Once only (later calls share the first's outcome); rejects with a 'leftBehind'
   * ContainerDiffError when something stayed (it then expires by itself).
   */
  release(): Promise<void>;
}

/** An id containerd accepts for a lease (letters, digits and single `-`, at most 76 characters). */
function newLeaseId(): string {
  return `vscode-containerd-diff-${randomBytes(8).toString('hex')}`;
}

/** RFC 3339 without fractional seconds, as ctr writes the label. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

function toDescriptor(wire: WireDescriptor | null): BlobDescriptor {
  if (!wire?.digest) throw new Error('containerd answered Diff without a descriptor');
  return { mediaType: wire.media_type, digest: wire.digest, size: longToNumber(wire.size), annotations: wire.annotations };
}

/** What one diff holds in the daemon, removed by release() whatever step it reached. */
class Holdings {
  lease?: string;
  view?: string;
  private released?: Promise<void>;

  constructor(private readonly api: ContainerdApi, private readonly namespace: string, private readonly snapshotter: string, readonly expires: Date) {}

  release(): Promise<void> {
    this.released ??= this.removeAll();
    return this.released;
  }

  private async removeAll(): Promise<void> {
    const failures: LeftBehind[] = [];
    const attempt = async (what: string, remove: () => Promise<unknown>): Promise<void> => {
      // Gone already (removed by hand, expired and collected) is what release wants.
      await remove().catch((error: unknown) => { if (!isNotFound(error)) failures.push({ what, error }); });
    };
    const { api, namespace } = this;
    // The view first, while the lease still holds it; then the lease, whose synchronous GC takes
    // the blob with it (a later GC would too, but only when something else triggers one).
    if (this.view !== undefined) {
      const key = this.view;
      await attempt(`view snapshot ${key}`, () => api.unary(api.methods.method<{ snapshotter: string; key: string }, object>(snapshotsService, 'Remove'), { snapshotter: this.snapshotter, key }, namespace));
    }
    if (this.lease !== undefined) {
      const id = this.lease;
      await attempt(`lease ${id}`, () => api.unary(api.methods.method<{ id: string; sync: boolean }, object>(leasesService, 'Delete'), { id, sync: true }, namespace));
    }
    if (failures.length > 0) throw leftBehindError(failures, this.expires, api.address);
  }
}

/**
 * Asks containerd for the changes of a container's snapshot against its parent (the image's top
 * layer): Stat, then under a fresh lease a read-only View of the parent, Mounts of the container's
 * snapshot, and Diff of the two. Read the blob (contentChunks), then call release(). Every
 * failure releases what was made and throws a ContainerDiffError in plain words (or the
 * ContainerdUnreachableError, or the signal's reason when aborted).
 */
export async function diffContainerSnapshot(api: ContainerdApi, namespace: string, container: DiffSubject, signal?: AbortSignal): Promise<ContainerDiff> {
  if (!container.snapshotKey) throw noSnapshotError(container, api.address);
  signal?.throwIfAborted();
  const { snapshotter, snapshotKey } = container;
  // Whole seconds: the label carries no fraction, and `expires` is said to the user as the label says it.
  const expires = new Date(Math.floor((Date.now() + leaseLifetimeMs) / 1000) * 1000);
  const holdings = new Holdings(api, namespace, snapshotter, expires);
  let step: DiffStep = 'stat';
  let mountTypes: string[] = [];
  try {
    // Nothing is made before Stat: a container whose snapshot is gone costs no lease.
    const info = await statSnapshot(api, namespace, snapshotter, snapshotKey);
    step = 'lease';
    const lease = newLeaseId();
    const created = api.methods.method<{ id: string; labels: Record<string, string> }, object>(leasesService, 'Create');
    // Noted before each call that makes something: one that failed late (a deadline passed) may
    // still have made it, and release() takes an absent one as done.
    holdings.lease = lease;
    await api.unary(created, { id: lease, labels: { [leaseExpireLabel]: rfc3339(holdings.expires), [leaseContainerLabel]: container.id } }, namespace, signal ? { signal } : {});
    const held: CallOptions = { lease, ...(signal ? { signal } : {}) };

    let left: readonly WireMount[] = [];
    if (info.parent !== undefined) {
      step = 'view';
      const view = `${lease}-parent-view`;
      const viewMethod = api.methods.method<{ snapshotter: string; key: string; parent: string }, { mounts: WireMount[] }>(snapshotsService, 'View');
      holdings.view = view;
      left = (await api.unary(viewMethod, { snapshotter, key: view, parent: info.parent }, namespace, held)).mounts;
    }
    step = 'mounts';
    const mountsMethod = api.methods.method<{ snapshotter: string; key: string }, { mounts: WireMount[] }>(snapshotsService, 'Mounts');
    const right = (await api.unary(mountsMethod, { snapshotter, key: snapshotKey }, namespace, held)).mounts;
    if (right.length === 0) throw noMountsError(container, api.address);
    mountTypes = right.map((m) => m.type);

    step = 'diff';
    const diffMethod = api.methods.method<{ left: readonly WireMount[]; right: readonly WireMount[]; media_type: string }, { diff: WireDescriptor | null }>(diffService, 'Diff');
    // A large writable layer takes the daemon minutes to walk: no deadline, the signal cancels.
    const answer = await api.unary(diffMethod, { left, right, media_type: diffMediaType }, namespace, { ...held, noDeadline: true });
    const descriptor = toDescriptor(answer.diff);
    return {
      descriptor,
      unchanged: descriptor.digest === emptyTarDigest,
      ...(info.parent !== undefined ? { parent: info.parent } : {}),
      lease,
      expires: holdings.expires,
      release: () => holdings.release(),
    };
  } catch (error) {
    // The first failure is the one to report; what release leaves expires by itself.
    await holdings.release().catch(() => undefined);
    signal?.throwIfAborted();
    throw explainDiffFailure(error, step, container, mountTypes, api.address);
  }
}
