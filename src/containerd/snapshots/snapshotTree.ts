// Pure bookkeeping over listed snapshots: the parent -> children chains the tree shows, and which
// containers and images use each snapshot.
import type { SnapshotInfo } from './snapshots';

export interface SnapshotNode {
  readonly snapshot: SnapshotInfo;
  readonly children: readonly SnapshotNode[];
  /** How many parents it has in the tree (a root is 0). */
  readonly depth: number;
}

function byAge(a: SnapshotInfo, b: SnapshotInfo): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.key.localeCompare(b.key);
}

/**
 * The snapshots as trees: roots are the ones without a parent, or whose parent is not in the list
 * (a filtered list, or a snapshot removed meanwhile). Siblings are ordered oldest first.
 */
export function snapshotTree(snapshots: readonly SnapshotInfo[]): SnapshotNode[] {
  const keys = new Set(snapshots.map((s) => s.key));
  const children = new Map<string, SnapshotInfo[]>();
  const roots: SnapshotInfo[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.parent && snapshot.parent !== snapshot.key && keys.has(snapshot.parent)) {
      const list = children.get(snapshot.parent) ?? [];
      list.push(snapshot);
      children.set(snapshot.parent, list);
    } else {
      roots.push(snapshot);
    }
  }
  return roots.sort(byAge).map((root) => buildTree(root, children));
}

interface Frame {
  readonly node: { readonly snapshot: SnapshotInfo; readonly depth: number; readonly children: SnapshotNode[] };
  readonly below: readonly SnapshotInfo[];
  next: number;
}

/**
 * One root's tree, built depth first with a stack of our own: chains can be thousands deep (each
 * layer of an image is one), deeper than the call stack. A snapshot is placed once, so a key
 * listed twice cannot make a loop (containerd cannot; bad input must not make us walk forever).
 */
function buildTree(root: SnapshotInfo, children: ReadonlyMap<string, SnapshotInfo[]>): SnapshotNode {
  const placed = new Set<string>();
  const open = (snapshot: SnapshotInfo, depth: number): Frame => {
    placed.add(snapshot.key);
    return { node: { snapshot, depth, children: [] }, below: [...(children.get(snapshot.key) ?? [])].sort(byAge), next: 0 };
  };
  const rootFrame = open(root, 0);
  const stack = [rootFrame];
  for (let top = stack.at(-1); top; top = stack.at(-1)) {
    const child = top.below[top.next];
    if (!child) {
      stack.pop();
      continue;
    }
    top.next += 1;
    if (placed.has(child.key)) continue;
    const frame = open(child, top.node.depth + 1);
    top.node.children.push(frame.node);
    stack.push(frame);
  }
  return rootFrame.node;
}

/** The keys from a snapshot up to its root: itself, its parent, its grandparent, ... */
export function snapshotChain(snapshots: ReadonlyMap<string, SnapshotInfo>, key: string): string[] {
  const chain = new Set<string>();
  for (let current: string | undefined = key; current && !chain.has(current); current = snapshots.get(current)?.parent) {
    chain.add(current);
  }
  return [...chain];
}

export type SnapshotUser =
  | { readonly kind: 'container'; readonly namespace: string; readonly id: string; readonly name: string; readonly direct: boolean }
  | { readonly kind: 'image'; readonly name: string; readonly direct: boolean };

export interface SnapshotContainerRef {
  readonly namespace: string;
  readonly id: string;
  readonly name: string;
  readonly snapshotter: string;
  readonly snapshotKey: string;
}

export interface SnapshotImageRef {
  readonly name: string;
  /** The chain id of the image's top layer: the name of its top committed snapshot once unpacked. */
  readonly chainId: string;
  /** Which snapshotter it was unpacked into; undefined means any (matched by name alone). */
  readonly snapshotter?: string;
}

/**
 * Who uses each snapshot. A container uses its active snapshot directly (`direct`) and the
 * committed layers below it; an unpacked image uses its top layer's snapshot directly and the
 * layers below. Snapshots nobody uses are absent from the map.
 */
export function snapshotUsers(snapshots: readonly SnapshotInfo[], containers: readonly SnapshotContainerRef[], images: readonly SnapshotImageRef[] = []): Map<string, SnapshotUser[]> {
  const users = new Map<string, SnapshotUser[]>();
  const byKey = new Map(snapshots.map((s) => [s.key, s]));
  const snapshotter = snapshots[0]?.snapshotter;
  const add = (top: string, user: (direct: boolean) => SnapshotUser): void => {
    if (!byKey.has(top)) return;
    snapshotChain(byKey, top).forEach((key, index) => {
      const list = users.get(key) ?? [];
      list.push(user(index === 0));
      users.set(key, list);
    });
  };
  for (const c of containers) {
    if (c.snapshotKey && c.snapshotter === snapshotter) {
      add(c.snapshotKey, (direct) => ({ kind: 'container', namespace: c.namespace, id: c.id, name: c.name, direct }));
    }
  }
  for (const image of images) {
    if (image.snapshotter === undefined || image.snapshotter === snapshotter) {
      add(image.chainId, (direct) => ({ kind: 'image', name: image.name, direct }));
    }
  }
  return users;
}
