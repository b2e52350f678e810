// Why containerd could not compute a container's changes, in words a user can act on. Each step
// of the diff (see containerDiff.ts) fails for its own reasons, so the step that failed picks the
// wording; containerd's own message is kept as the detail (the differ's is the only clue there is).
import { ContainerdError, ContainerdRequestError, ContainerdUnreachableError } from '../connection/errors';

export type ContainerDiffProblem =
  /** The container was created without a snapshot: nothing in containerd holds its files. */
  | 'noSnapshot'
  /** Its snapshot, or the image layer below it, no longer exists. */
  | 'snapshotGone'
  /** The container's snapshotter is not loaded in this daemon (a proxy plugin not configured now). */
  | 'snapshotterUnavailable'
  /** The snapshotter hands out no mounts: its files live where containerd cannot mount them. */
  | 'noMounts'
  /** containerd could not mount what the snapshotter handed out. */
  | 'notMountable'
  /** containerd's differ failed (or this daemon has none) for another reason. */
  | 'differFailed'
  /** containerd refused the lease that keeps the temporary snapshot and the diff alive. */
  | 'leaseRefused'
  /** containerd answered PERMISSION_DENIED (an authorizing proxy in front of the socket). */
  | 'permissionDenied'
  /** The diff was read, but its lease or view could not be removed afterwards. */
  | 'leftBehind';

export class ContainerDiffError extends ContainerdError {
  constructor(readonly problem: ContainerDiffProblem, message: string, address: string,
    /** containerd's own words, when it said something. */
    readonly detail = '') {
    super(message, address);
  }
}

/** What the wording names: the container and where its snapshot lives. */
export interface DiffSubject {
  readonly id: string;
  readonly snapshotter: string;
  readonly snapshotKey: string;
}

/** The step a failure happened in (see containerDiff.ts for their order). */
export type DiffStep = 'stat' | 'lease' | 'view' | 'mounts' | 'diff';

const stepWords: Readonly<Record<DiffStep, string>> = {
  stat: 'reading its snapshot', lease: 'creating a lease', view: 'creating a read-only view of its image',
  mounts: 'asking for its mounts', diff: 'computing the diff',
};

export function noSnapshotError(container: DiffSubject, address: string): ContainerDiffError {
  return new ContainerDiffError('noSnapshot', `Container ${container.id} has no snapshot: it was created with a root filesystem of its own rather than from an image unpacked into a snapshotter, so containerd holds no writable layer to compare with an image.`, address);
}

export function noMountsError(container: DiffSubject, address: string): ContainerDiffError {
  return new ContainerDiffError('noMounts', `Snapshotter ${container.snapshotter} hands out no mounts for the snapshot of container ${container.id}: its files are kept where containerd cannot mount them (a remote or VM-backed snapshotter), so its changes cannot be compared with the image here.`, address);
}

/**
 * The failure of one step as a ContainerDiffError. A daemon that cannot be reached stays a
 * ContainerdUnreachableError (the views already say what to do about that), except that
 * UNIMPLEMENTED after Stat answered means a missing Diff service or differ, not a foreign socket.
 */
export function explainDiffFailure(error: unknown, step: DiffStep, container: DiffSubject, mountTypes: readonly string[], address: string): unknown {
  if (error instanceof ContainerdUnreachableError && error.reason === 'notContainerd' && step !== 'stat' && step !== 'lease') {
    return new ContainerDiffError('differFailed', `This containerd cannot compute the changes of container ${container.id}: it has no differ for them (${error.detail}).`, address, error.detail);
  }
  if (!(error instanceof ContainerdRequestError)) return error;
  const { code, detail } = error;
  const snapshot = `snapshot ${container.snapshotKey} in snapshotter ${container.snapshotter}`;
  if (code === 'PERMISSION_DENIED') {
    return new ContainerDiffError('permissionDenied', `containerd refused ${stepWords[step]} for container ${container.id} as not permitted (${detail}): computing the changes needs a lease, a read-only view and a blob in this namespace, and your access to the socket does not allow creating them.`, address, detail);
  }
  if (step === 'lease') {
    return new ContainerDiffError('leaseRefused', `containerd refused the lease that keeps the temporary snapshot and the diff of container ${container.id} from its garbage collector: ${detail || code}.`, address, detail);
  }
  if (code === 'INVALID_ARGUMENT' && /snapshotter not loaded/i.test(detail)) {
    return new ContainerDiffError('snapshotterUnavailable', `Container ${container.id} uses snapshotter ${container.snapshotter}, which this containerd has not loaded: configure it (for a remote snapshotter, its proxy plugin in containerd's config) and restart containerd.`, address, detail);
  }
  if (code === 'NOT_FOUND' && step !== 'diff') {
    const what = step === 'view' ? `The image layer below container ${container.id}'s ${snapshot}` : `The ${snapshot} of container ${container.id}`;
    return new ContainerDiffError('snapshotGone', `${what} no longer exists: it was removed after the container was created, or the container is being removed. Refresh the Containers view.`, address, detail);
  }
  if (step === 'diff' && /\bmount/i.test(detail)) {
    const types = mountTypes.length > 0 ? `, mount type ${[...new Set(mountTypes)].join(', ')}` : '';
    return new ContainerDiffError('notMountable', `containerd could not mount the snapshot of container ${container.id} (snapshotter ${container.snapshotter}${types}) to compare it with the image: ${detail}. A remote snapshotter may hand out mounts that only its own runtime can use.`, address, detail);
  }
  return new ContainerDiffError('differFailed', `containerd could not compute the changes of container ${container.id} (${stepWords[step]}, snapshotter ${container.snapshotter}): ${detail || code}.`, address, detail);
}

/** One thing release() could not remove, and why. */
export interface LeftBehind { readonly what: string; readonly error: unknown }

/**
 * What release() could not remove. A view outlives nothing: once its lease is gone (deleted, or
 * expired) containerd's garbage collector takes it, and the diff blob, by itself.
 */
export function leftBehindError(failures: readonly LeftBehind[], expires: Date, address: string): ContainerDiffError {
  const detail = failures.map(({ what, error }) => `${what}: ${error instanceof Error ? error.message : String(error)}`).join('; ');
  return new ContainerDiffError('leftBehind', `The diff could not remove what it made (${detail}). containerd's garbage collector removes it by itself once its lease is gone, at the latest at its first collection after ${expires.toISOString()}.`, address, detail);
}
