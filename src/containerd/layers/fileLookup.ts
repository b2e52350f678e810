// Finding what to show for a path of an image's filesystem: the bytes behind a file (a hard link's
// are its target's, in the same layer; a symlink is followed through the merged tree, as a
// process in the container would see it), the largest files, and one layer's changes as folders.
import { safeEntryPath, splitPath, type LayerEntry } from './layerEntry';
import type { FsNode, LayerChange } from './mergedTree';
import type { ImageFilesystem } from './imageFilesystem';

/** Linux's limit on symlinks followed in one lookup. */
const maxSymlinkHops = 40;

/** `merged` for the filesystem as a container sees it, or the index of one layer on its own. */
export type LayerSelector = number | 'merged';

export type FileSource =
  | { readonly found: true; readonly layer: number; readonly path: string; readonly entry: LayerEntry }
  | { readonly found: false; readonly reason: string };

function joinTarget(dir: string, target: string): string {
  return target.startsWith('/') ? target : dir === '' ? target : `${dir}/${target}`;
}

/** The node a path names in the merged tree, symlinks followed (in the folders on the way too). */
export function resolveMerged(root: FsNode, path: string): FsNode | string {
  let pending = safeEntryPath(path).split('/').filter(Boolean);
  let node = root;
  let hops = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending;
    const child = node.children?.get(name);
    if (!child) return `${path} does not exist in the image`;
    if (child.entry?.kind === 'symlink') {
      if (++hops > maxSymlinkHops) return `${path}: too many levels of symbolic links`;
      pending = [...safeEntryPath(joinTarget(node.path, child.entry.linkTarget ?? '')).split('/').filter(Boolean), ...rest];
      node = root;
      continue;
    }
    node = child;
    pending = rest;
  }
  return node;
}

/** Where the bytes of `path` are, as the selector sees the image. */
export function fileSource(fs: ImageFilesystem, selector: LayerSelector, path: string): FileSource {
  let layer: number;
  let entry: LayerEntry | undefined;
  if (selector === 'merged') {
    const node = resolveMerged(fs.root, path);
    if (typeof node === 'string') return { found: false, reason: node };
    layer = node.layer;
    entry = node.entry;
  } else {
    layer = selector;
    entry = fs.layers[selector]?.listing.entries.find((e) => e.path === path);
    if (entry?.kind === 'symlink') return { found: false, reason: `${path} is a symbolic link to ${entry.linkTarget ?? ''}; open it in the merged view to follow it` };
  }
  if (!entry) return { found: false, reason: selector === 'merged' ? `${path} is a folder only implied by its contents` : `layer ${selector + 1} does not write ${path}` };
  if (entry.kind === 'hardlink') {
    const target = fs.layers[layer].listing.entries.find((e) => e.path === entry.linkTarget);
    if (target?.kind !== 'file') return { found: false, reason: `${path} is a hard link to ${entry.linkTarget ?? ''}, which its layer does not hold as a file` };
    return { found: true, layer, path: target.path, entry: target };
  }
  if (entry.kind !== 'file') return { found: false, reason: `${path} is a ${describeKind(entry)}: it has no contents to open` };
  return { found: true, layer, path: entry.path, entry };
}

function describeKind(entry: LayerEntry): string {
  switch (entry.kind) {
    case 'dir': return 'folder';
    case 'char': return 'character device';
    case 'block': return 'block device';
    case 'fifo': return 'named pipe';
    default: return entry.kind;
  }
}

/** The `count` largest regular files of the merged tree, largest first. */
export function largestFiles(root: FsNode, count: number): FsNode[] {
  const files: FsNode[] = [];
  const pending: FsNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.entry?.kind === 'file') files.push(node);
    for (const child of node.children?.values() ?? []) pending.push(child);
  }
  return files.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, count);
}

/** A layer's changes as a folder tree: folders are the changes' parents (or changes themselves). */
export interface ChangeFolder {
  readonly path: string;
  readonly folders: Map<string, ChangeFolder>;
  readonly changes: LayerChange[];
}

export function changeFolders(changes: readonly LayerChange[]): ChangeFolder {
  const root: ChangeFolder = { path: '', folders: new Map(), changes: [] };
  for (const change of changes) {
    let folder = root;
    const { dir } = splitPath(change.path);
    if (dir !== '') {
      for (const name of dir.split('/')) {
        let next = folder.folders.get(name);
        if (!next) {
          next = { path: folder.path === '' ? name : `${folder.path}/${name}`, folders: new Map(), changes: [] };
          folder.folders.set(name, next);
        }
        folder = next;
      }
    }
    folder.changes.push(change);
  }
  return root;
}
