// The image's filesystem as a container sees it: every layer applied in order on an empty root
// (whiteouts and opaque folders as layerListing reads them), and what each layer changed on the
// way: the files it added, modified and deleted, and the bytes of the layers below that it
// hides (still shipped with the image, never seen: what a "why is this image big" question is after).
import { splitPath, type LayerEntry } from './layerEntry';
import type { LayerListing } from './layerListing';

export interface FsNode {
  readonly name: string;
  readonly path: string;
  /** The entry that made it; undefined for a folder only implied by the paths beneath it. */
  readonly entry: LayerEntry | undefined;
  /** The index of the layer that wrote it (an implied folder: the layer that first needed it). */
  readonly layer: number;
  /** A folder's children by name; undefined for anything else. */
  readonly children: ReadonlyMap<string, FsNode> | undefined;
  /** Bytes of file data at and beneath it (a hard link adds none: its data is its target's). */
  readonly bytes: number;
  /** Regular files at and beneath it. */
  readonly files: number;
}

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface LayerChange {
  readonly path: string;
  readonly change: ChangeKind;
  /** What the layer wrote; undefined for a deletion. */
  readonly entry?: LayerEntry;
  /** Data bytes written (added, modified) or hidden beneath the path (deleted). */
  readonly bytes: number;
}

export interface LayerDiff {
  /** In the order the layer applies them: opaque folders' contents, deletions, then writes. */
  readonly changes: readonly LayerChange[];
  /** Bytes of file data the layer writes. */
  readonly writtenBytes: number;
  /** Bytes of the layers below that this layer overwrites or deletes. */
  readonly hiddenBytes: number;
}

export interface MergedFilesystem {
  readonly root: FsNode;
  readonly layers: readonly LayerDiff[];
}

interface Node {
  name: string;
  path: string;
  entry: LayerEntry | undefined;
  layer: number;
  children: Map<string, Node> | undefined;
  bytes: number;
  files: number;
}

function newNode(path: string, entry: LayerEntry | undefined, layer: number): Node {
  const folder = entry === undefined || entry.kind === 'dir';
  return { name: splitPath(path).name, path, entry, layer, children: folder ? new Map() : undefined, bytes: 0, files: 0 };
}

function dataBytes(entry: LayerEntry | undefined): number {
  return entry?.kind === 'file' ? entry.size : 0;
}

/** The bytes at and beneath a node, before the sizes are summed (during the merge). */
function subtreeBytes(node: Node): number {
  let total = dataBytes(node.entry);
  for (const child of node.children?.values() ?? []) total += subtreeBytes(child);
  return total;
}

function sameOwnership(a: LayerEntry | undefined, b: LayerEntry): boolean {
  return a !== undefined && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}

class Merge {
  readonly root = newNode('', undefined, 0);

  lookup(path: string): { parent: Node; node: Node | undefined } | undefined {
    if (path === '') return { parent: this.root, node: this.root };
    let parent = this.root;
    const names = path.split('/');
    for (let i = 0; i < names.length - 1; i++) {
      const next = parent.children?.get(names[i]);
      if (!next?.children) return undefined;
      parent = next;
    }
    return { parent, node: parent.children?.get(names[names.length - 1]) };
  }

  /** The folder at `path`, made (implied) where missing; a non-folder in the way is replaced. */
  folder(path: string, layer: number, hidden: { bytes: number }): Node {
    let current = this.root;
    if (path === '') return current;
    for (const name of path.split('/')) {
      let next = current.children?.get(name);
      if (!next?.children) {
        if (next) hidden.bytes += subtreeBytes(next);
        next = newNode(current.path === '' ? name : `${current.path}/${name}`, undefined, layer);
        current.children?.set(name, next);
      }
      current = next;
    }
    return current;
  }

  apply(listing: LayerListing, layer: number): LayerDiff {
    const changes: LayerChange[] = [];
    const hidden = { bytes: 0 };
    for (const dir of listing.opaqueDirs) {
      const folder = this.lookup(dir)?.node;
      if (!folder?.children) continue;
      for (const child of folder.children.values()) {
        const bytes = subtreeBytes(child);
        hidden.bytes += bytes;
        changes.push({ path: child.path, change: 'deleted', bytes });
      }
      folder.children.clear();
    }
    for (const path of listing.deletions) {
      const found = this.lookup(path);
      if (!found?.node || path === '') continue;
      const bytes = subtreeBytes(found.node);
      hidden.bytes += bytes;
      found.parent.children?.delete(found.node.name);
      changes.push({ path, change: 'deleted', bytes });
    }
    let writtenBytes = 0;
    for (const entry of listing.entries) {
      writtenBytes += dataBytes(entry);
      const parent = this.folder(splitPath(entry.path).dir, layer, hidden);
      const existing = entry.path === '' ? this.root : parent.children?.get(splitPath(entry.path).name);
      if (entry.kind === 'dir' && existing?.children) {
        // Layers repeat the folders above what they change: only new ownership or mode is a change.
        if (existing.entry !== undefined && !sameOwnership(existing.entry, entry)) changes.push({ path: entry.path, change: 'modified', entry, bytes: 0 });
        existing.entry = entry;
        existing.layer = layer;
        continue;
      }
      if (existing) hidden.bytes += subtreeBytes(existing);
      changes.push({ path: entry.path, change: existing ? 'modified' : 'added', entry, bytes: dataBytes(entry) });
      parent.children?.set(splitPath(entry.path).name, newNode(entry.path, entry, layer));
    }
    return { changes, writtenBytes, hiddenBytes: hidden.bytes };
  }
}

/** Sums bytes and files bottom up (iteratively: trees can be deeper than the call stack). */
function sumSizes(root: Node): void {
  const order: Node[] = [];
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    order.push(node);
    for (const child of node.children?.values() ?? []) pending.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    node.bytes = dataBytes(node.entry);
    node.files = node.entry?.kind === 'file' ? 1 : 0;
    for (const child of node.children?.values() ?? []) {
      node.bytes += child.bytes;
      node.files += child.files;
    }
  }
}

/** The layers, lowest first, applied on an empty root. */
export function mergeLayers(layers: readonly LayerListing[]): MergedFilesystem {
  const merge = new Merge();
  const diffs = layers.map((listing, index) => merge.apply(listing, index));
  sumSizes(merge.root);
  return { root: merge.root, layers: diffs };
}

/** The node at a path of the merged tree, or undefined. */
export function findNode(root: FsNode, path: string): FsNode | undefined {
  let node: FsNode | undefined = root;
  if (path === '') return node;
  for (const name of path.split('/')) node = node?.children?.get(name);
  return node;
}
