// The Files view: image filesystems opened from an image or container row, each as its merged
// tree (what a container sees), its layers (each with the instruction that made it and the files
// it added, modified and deleted) and its largest files. Nothing is read until a row is opened;
// reading shows a cancellable progress notification.
import * as vscode from 'vscode';
import { changeFolders, largestFiles, resolveMerged, type ChangeFolder } from '../containerd/layers/fileLookup';
import type { FilesystemLayer, ImageFilesystem } from '../containerd/layers/imageFilesystem';
import type { FsNode, LayerChange, LayerDiff } from '../containerd/layers/mergedTree';
import { formatBytes } from '../model/format';
import { entryDescription, layerDescription, layerLabel, layerTooltip, modeText } from '../model/fileRows';
import { layerFileUri, type LayerFile } from '../providers/layerFiles';
import { targetKey, type FilesystemTarget, type ImageFilesystems } from './imageFilesystems';

export const filesViewId = 'containerd.views.files';

/** Rows in "Largest Files". */
const largestCount = 50;

export type FileNode =
  | { readonly kind: 'root'; readonly target: FilesystemTarget }
  | { readonly kind: 'merged' | 'layers' | 'largest'; readonly target: FilesystemTarget }
  | { readonly kind: 'layer'; readonly target: FilesystemTarget; readonly layer: FilesystemLayer }
  | { readonly kind: 'entry'; readonly target: FilesystemTarget; readonly node: FsNode; readonly listed?: 'largest'; readonly via?: SymlinkWay }
  | { readonly kind: 'container'; readonly target: FilesystemTarget }
  | { readonly kind: 'changeFolder'; readonly target: FilesystemTarget; readonly owner: ChangeOwner; readonly folder: ChangeFolder; readonly change?: LayerChange }
  | { readonly kind: 'change'; readonly target: FilesystemTarget; readonly owner: ChangeOwner; readonly change: LayerChange }
  | { readonly kind: 'message'; readonly text: string };

/**
 * How a merged-tree row is reached when it is not at its own path: `shown` is the path through
 * the tree's rows (through a followed symlink), `opens` the folder a symlink row expands into.
 */
export interface SymlinkWay {
  readonly shown: string;
  readonly opens?: FsNode;
}

/** Whose changes a row shows: a layer's, or the container's against its image. */
export type ChangeOwner = FilesystemLayer | 'container';

function ownerSelector(owner: ChangeOwner): number | 'container' {
  return owner === 'container' ? 'container' : owner.index;
}

function ownerText(owner: ChangeOwner): string {
  return owner === 'container' ? 'the container' : `layer ${owner.index + 1}`;
}

function name(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The file a row opens: a deleted file is shown as the layers below had it. */
export function fileOfRow(node: FileNode, fs: ImageFilesystem | undefined): LayerFile | undefined {
  switch (node.kind) {
    case 'entry': return { target: node.target, layer: 'merged', path: node.node.path };
    case 'change': {
      const { owner, change } = node;
      if (change.change !== 'deleted') return { target: node.target, layer: ownerSelector(owner), path: change.path, change: change.change };
      // The container deleted what the image has: the image's file, as the merged tree holds it.
      if (owner === 'container') return { target: node.target, layer: 'merged', path: change.path, change: 'deleted' };
      const below = fs?.layers.slice(0, owner.index).reverse().find((l) => l.listing.entries.some((e) => e.path === change.path));
      return below ? { target: node.target, layer: below.index, path: change.path, change: 'deleted' } : undefined;
    }
    default: return undefined;
  }
}

export class FilesTree implements vscode.TreeDataProvider<FileNode> {
  private readonly changed = new vscode.EventEmitter<FileNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: FileNode[] = [];
  /** Each filesystem once read, for rows that need it synchronously (clicks on deleted files). */
  private readonly read = new Map<string, ImageFilesystem>();
  /** The container changes last read per root: Refresh on their row reads them again. */
  private readonly containerDiffs = new Map<string, Promise<LayerDiff>>();

  constructor(private readonly filesystems: ImageFilesystems) {}

  get targets(): readonly FilesystemTarget[] {
    return this.roots.flatMap((root) => (root.kind === 'root' ? [root.target] : []));
  }

  /** Adds the target's root (once) and returns it. */
  open(target: FilesystemTarget): FileNode {
    const existing = this.roots.find((root) => root.kind === 'root' && targetKey(root.target) === targetKey(target));
    if (existing) return existing;
    const root: FileNode = { kind: 'root', target };
    this.roots = [...this.roots, root];
    this.changed.fire(undefined);
    return root;
  }

  close(target: FilesystemTarget): void {
    this.roots = this.roots.filter((root) => root.kind !== 'root' || targetKey(root.target) !== targetKey(target));
    this.read.delete(targetKey(target));
    this.containerDiffs.delete(targetKey(target));
    this.changed.fire(undefined);
  }

  /** Reads the container's changes again (the container kept running). */
  refreshContainer(node: FileNode): void {
    if (node.kind !== 'container') return;
    this.containerDiffs.delete(targetKey(node.target));
    this.changed.fire(node);
  }

  filesystem(target: FilesystemTarget): ImageFilesystem | undefined {
    return this.read.get(targetKey(target));
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(node?: FileNode): Promise<FileNode[]> {
    if (!node) return this.roots;
    if (node.kind === 'message') return [];
    if (node.kind === 'container') return this.containerRows(node.target);
    let fs: ImageFilesystem;
    try {
      fs = await this.filesystems.get(node.target);
    } catch (error) {
      return [{ kind: 'message', text: error instanceof vscode.CancellationError ? 'Reading was cancelled: collapse and expand to read again' : `Cannot read the layers: ${(error as Error).message}` }];
    }
    const { target } = node;
    if (node.kind === 'root') {
      // The groups come once the layers are read, so each opens on what is there; the root's row
      // then gains the image's size and layer count (after this answer: a refresh of a row whose
      // children are still being asked for loses them).
      const key = targetKey(target);
      if (!this.read.has(key)) {
        this.read.set(key, fs);
        setTimeout(() => this.changed.fire(node), 0);
      }
      const groups: FileNode[] = [{ kind: 'merged', target }, { kind: 'layers', target }, { kind: 'largest', target }];
      return target.container ? [{ kind: 'container', target }, ...groups] : groups;
    }
    switch (node.kind) {
      case 'merged': return entries(target, fs.root, fs.root, '');
      case 'entry': return entries(target, node.via?.opens ?? node.node, fs.root, node.via?.shown ?? node.node.path);
      case 'layers': return fs.layers.map((layer) => ({ kind: 'layer', target, layer }));
      case 'largest': return largestFiles(fs.root, largestCount).map((file) => ({ kind: 'entry', target, node: file, listed: 'largest' }));
      case 'layer': return changeRows(target, node.layer, changeFolders(node.layer.diff.changes));
      case 'changeFolder': return changeRows(target, node.owner, node.folder);
      default: return [];
    }
  }

  private async containerRows(target: FilesystemTarget): Promise<FileNode[]> {
    const key = targetKey(target);
    let read = this.containerDiffs.get(key);
    if (!read) {
      read = this.filesystems.containerChanges(target);
      this.containerDiffs.set(key, read);
    }
    try {
      const diff = await read;
      if (diff.changes.length === 0) return [{ kind: 'message', text: 'No changes: the container\'s filesystem is its image\'s' }];
      return changeRows(target, 'container', changeFolders(diff.changes));
    } catch (error) {
      this.containerDiffs.delete(key);
      return [{ kind: 'message', text: `Cannot compare with the image: ${(error as Error).message}` }];
    }
  }

  getTreeItem(node: FileNode): vscode.TreeItem {
    switch (node.kind) {
      case 'root': {
        const item = new vscode.TreeItem(node.target.image, vscode.TreeItemCollapsibleState.Expanded);
        const fs = this.read.get(targetKey(node.target));
        item.description = fs ? `${node.target.platform} · ${formatBytes(fs.root.bytes)} · ${fs.layers.length} ${fs.layers.length === 1 ? 'layer' : 'layers'}` : node.target.platform;
        item.tooltip = `${node.target.image} (${node.target.platform})\nmanifest ${node.target.manifest}\nnamespace ${node.target.namespace} on ${node.target.address}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'filesRoot';
        item.id = `root:${targetKey(node.target)}`;
        return item;
      }
      case 'merged': return group(node, 'Filesystem', 'root-folder', vscode.TreeItemCollapsibleState.Expanded);
      case 'layers': return group(node, 'Layers', 'layers', vscode.TreeItemCollapsibleState.Collapsed);
      case 'largest': {
        const item = group(node, 'Largest Files', 'arrow-down', vscode.TreeItemCollapsibleState.Collapsed);
        // What a "why is it big" question is after besides the big files: bytes shipped but never seen.
        const hidden = this.read.get(targetKey(node.target))?.layers.reduce((sum, layer) => sum + layer.diff.hiddenBytes, 0) ?? 0;
        if (hidden > 0) {
          item.description = `${formatBytes(hidden)} in lower layers hidden by later ones`;
          item.tooltip = 'Files that later layers overwrite or delete still ship in the layers that wrote them: see each layer\'s tooltip.';
        }
        return item;
      }
      case 'layer': {
        const item = new vscode.TreeItem(layerLabel(node.layer), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = layerDescription(node.layer);
        item.tooltip = layerTooltip(node.layer);
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'filesLayer';
        item.id = `layer:${targetKey(node.target)}:${node.layer.index}`;
        return item;
      }
      case 'entry': return entryItem(node);
      case 'container': {
        const item = new vscode.TreeItem('Container Changes', vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('diff');
        item.description = node.target.container?.id;
        item.tooltip = 'What the container added, modified and deleted in its image\'s filesystem, as containerd\'s differ compares its snapshot with the image (no exec). Refresh reads them again.';
        item.contextValue = 'filesContainer';
        item.id = `container:${targetKey(node.target)}`;
        return item;
      }
      case 'changeFolder': {
        const item = new vscode.TreeItem(name(node.folder.path), vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = layerFileUri({ target: node.target, layer: ownerSelector(node.owner), path: node.folder.path, ...(node.change ? { change: node.change.change } : {}) });
        item.iconPath = vscode.ThemeIcon.Folder;
        item.id = `change:${targetKey(node.target)}:${ownerSelector(node.owner)}:${node.folder.path}/`;
        return item;
      }
      case 'change': {
        const { change } = node;
        const item = new vscode.TreeItem(name(change.path), vscode.TreeItemCollapsibleState.None);
        item.resourceUri = layerFileUri({ target: node.target, layer: ownerSelector(node.owner), path: change.path, change: change.change });
        item.iconPath = change.entry?.kind === 'dir' ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
        item.description = change.change === 'deleted' ? `deleted${change.bytes ? ` · ${formatBytes(change.bytes)}` : ''}` : entryDescription(change.entry);
        item.tooltip = `/${change.path}: ${change.change} by ${ownerText(node.owner)}${change.entry ? `\n${modeText(change.entry)}` : ''}`;
        item.contextValue = change.entry?.kind === 'file' || change.change === 'deleted' ? 'filesFile' : 'filesOther';
        const file = fileOfRow(node, this.read.get(targetKey(node.target)));
        if (file && (change.entry?.kind === 'file' || change.change === 'deleted')) item.command = { command: 'vscode.open', title: 'Open', arguments: [layerFileUri(file)] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}

function group(node: FileNode & { target: FilesystemTarget }, label: string, icon: string, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(label, state);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.id = `${node.kind}:${targetKey(node.target)}`;
  return item;
}

/**
 * The rows of a folder of the merged tree; a symlink to a folder expands into it, as in the
 * Explorer, its rows keeping the path through the link (`shownDir`) so each row stays one row.
 */
function entries(target: FilesystemTarget, folder: FsNode, root: FsNode, shownDir: string): FileNode[] {
  const rows = [...(folder.children?.values() ?? [])].map((node): FileNode & { kind: 'entry' } => {
    const shown = shownDir === '' ? node.name : `${shownDir}/${node.name}`;
    const resolved = node.entry?.kind === 'symlink' ? resolveMerged(root, node.path) : undefined;
    const opens = typeof resolved === 'object' && resolved.children ? resolved : undefined;
    return { kind: 'entry', target, node, ...(opens || shown !== node.path ? { via: { shown, ...(opens ? { opens } : {}) } } : {}) };
  });
  // Folders first, then by name, as the Explorer lists them.
  const isFolder = (row: FileNode & { kind: 'entry' }): number => Number(row.node.children !== undefined || row.via?.opens !== undefined);
  return rows.sort((a, b) => isFolder(b) - isFolder(a) || a.node.name.localeCompare(b.node.name));
}

function changeRows(target: FilesystemTarget, owner: ChangeOwner, folder: ChangeFolder): FileNode[] {
  const byName = new Map(folder.changes.map((change) => [name(change.path), change]));
  const folders: FileNode[] = [...folder.folders.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([folderName, sub]) => {
    const change = byName.get(folderName);
    return { kind: 'changeFolder', target, owner, folder: sub, ...(change ? { change } : {}) };
  });
  const files: FileNode[] = folder.changes.filter((change) => !folder.folders.has(name(change.path))).sort((a, b) => a.path.localeCompare(b.path))
    .map((change) => ({ kind: 'change', target, owner, change }));
  return [...folders, ...files];
}

function entryItem({ target, node, listed, via }: FileNode & { kind: 'entry' }): vscode.TreeItem {
  const folder = node.children !== undefined || via?.opens !== undefined;
  const shown = via?.shown ?? node.path;
  const item = new vscode.TreeItem(listed ? `/${node.path}` : node.name, folder ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.resourceUri = layerFileUri({ target, layer: 'merged', path: node.path });
  item.iconPath = via?.opens ? new vscode.ThemeIcon('file-symlink-directory') : folder ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
  item.description = `${entryDescription(node.entry, node)}${listed ? ` · layer ${node.layer + 1}` : ''}`;
  const where = shown === node.path ? `/${node.path}` : `/${shown}\n(through a symbolic link: /${node.path})`;
  item.tooltip = `${where}\n${node.entry ? modeText(node.entry) : 'folder implied by its contents'}\nfrom layer ${node.layer + 1}`;
  // A symlink to a folder opens as the folder: nothing to compare.
  item.contextValue = !folder && (node.entry?.kind === 'file' || node.entry?.kind === 'hardlink' || node.entry?.kind === 'symlink') ? 'filesFile' : 'filesOther';
  if (item.contextValue === 'filesFile') item.command = { command: 'vscode.open', title: 'Open', arguments: [item.resourceUri] };
  item.id = `${listed ?? 'entry'}:${targetKey(target)}:${shown}`;
  return item;
}
