// Files of image layers opened in the editor, read-only, under a URI scheme of ours: the path is
// the file's path in the image (so the tab, breadcrumbs and language mode are right), the query
// says which endpoint, namespace, manifest and layer (or the merged view). The bytes are read from
// the layer's blob each time (nothing of the image is written to disk), with progress in the
// status bar. Layer changes carry their kind, which the decorations show as A, M and D.
import * as vscode from 'vscode';
import type { DiffSubject } from '../containerd/layers/containerDiffErrors';
import { contentChunks } from '../containerd/layers/contentStream';
import { fileSource, resolveMerged, type LayerSelector } from '../containerd/layers/fileLookup';
import { decompressedLayer } from '../containerd/layers/layerDecompress';
import type { ChangeKind } from '../containerd/layers/mergedTree';
import { FileTooLargeError, readTarFile } from '../containerd/layers/tarReading';
import type { Ctx } from '../ctx';
import { isKnownEndpoint } from '../model/scopeChoice';
import type { FilesystemTarget, ImageFilesystems } from '../views/imageFilesystems';

export const layerScheme = 'containerd-layer';

/** Bigger files are refused: the editor holds what it opens in memory. */
const maxOpenBytes = 64 * 1024 * 1024;

/** A layer, the merged image, or the target's container as it is now. */
export type FileOwner = LayerSelector | 'container';

export interface LayerFile {
  readonly target: FilesystemTarget;
  readonly layer: FileOwner;
  /** `etc/passwd`: relative to the image's root; '' is the root. */
  readonly path: string;
  /** The change a layer made at this path, for its decoration. */
  readonly change?: ChangeKind;
}

export function layerFileUri(file: LayerFile): vscode.Uri {
  const { target, layer, change } = file;
  return vscode.Uri.from({ scheme: layerScheme, path: `/${file.path}`, query: JSON.stringify({ ...target, layer, ...(change ? { change } : {}) }) });
}

/** What a URI of ours names; only endpoints the extension knows are read (any link can open one). */
export function layerFileOf(uri: vscode.Uri, known: (address: unknown) => boolean): LayerFile {
  let query: (Partial<Record<keyof FilesystemTarget | 'layer' | 'change', unknown>>) | null;
  try {
    query = JSON.parse(uri.query) as typeof query;
  } catch {
    query = null;
  }
  const strings = ['address', 'namespace', 'manifest', 'image', 'platform'] as const;
  const container = subjectOf(query?.container);
  if (!query || strings.some((field) => typeof query[field] !== 'string') || !(query.layer === 'merged' || Number.isInteger(query.layer) || (query.layer === 'container' && container))) {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  if (!known(query.address)) throw vscode.FileSystemError.NoPermissions(`${String(query.address)} is not a containerd endpoint this extension knows`);
  const [address, namespace, manifest, image, platform] = strings.map((field) => String(query[field]));
  const target: FilesystemTarget = { address, namespace, manifest, image, platform, ...(container ? { container } : {}) };
  const change = ['added', 'modified', 'deleted'].includes(query.change as string) ? { change: query.change as ChangeKind } : {};
  return { target, layer: query.layer as FileOwner, path: uri.path.replace(/^\/+/, ''), ...change };
}

function subjectOf(value: unknown): DiffSubject | undefined {
  const c = value as Partial<Record<keyof DiffSubject, unknown>> | null | undefined;
  return typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.snapshotter === 'string' && typeof c.snapshotKey === 'string'
    ? { id: c.id, snapshotter: c.snapshotter, snapshotKey: c.snapshotKey } : undefined;
}

/** A file's bytes read with progress in the status bar; one over the size limit is said as unavailable. */
async function readWithProgress(title: string, read: () => Promise<Buffer | undefined>): Promise<Buffer | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof FileTooLargeError) throw vscode.FileSystemError.Unavailable(error.message);
      throw error;
    }
  });
}

class LayerFileSystem implements vscode.FileSystemProvider {
  private readonly never = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.never.event;

  constructor(private readonly ctx: Ctx, private readonly filesystems: ImageFilesystems) {}

  private file(uri: vscode.Uri): LayerFile {
    return layerFileOf(uri, (address) => isKnownEndpoint(this.ctx.endpoints.latest, address));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const file = this.file(uri);
    // The container's files change under us: their size is known only once read.
    if (file.layer === 'container') return { type: vscode.FileType.File, ctime: 0, mtime: Date.now(), size: 0, permissions: vscode.FilePermission.Readonly };
    const fs = await this.filesystems.get(file.target);
    const node = file.layer === 'merged' ? resolveMerged(fs.root, file.path) : undefined;
    const entry = file.layer === 'merged' ? (typeof node === 'string' ? undefined : node?.entry) : fs.layers[file.layer]?.listing.entries.find((e) => e.path === file.path);
    const folder = file.layer === 'merged' ? typeof node !== 'string' && node?.children !== undefined : entry?.kind === 'dir';
    if (!folder && !entry) throw vscode.FileSystemError.FileNotFound(uri);
    const mtime = entry?.mtime?.getTime() ?? 0;
    const source = folder ? undefined : fileSource(fs, file.layer, file.path);
    return {
      type: folder ? vscode.FileType.Directory : vscode.FileType.File,
      ctime: mtime,
      mtime,
      size: source?.found ? source.entry.size : 0,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const file = this.file(uri);
    const node = resolveMerged((await this.filesystems.get(file.target)).root, file.path);
    if (typeof node === 'string' || !node.children) throw vscode.FileSystemError.FileNotADirectory(uri);
    return [...node.children.values()].map((child) => [child.name, child.children ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = this.file(uri);
    const { container } = file.target;
    if (file.layer === 'container' && container) return this.readContainerFile(file, container);
    const fs = await this.filesystems.get(file.target);
    const source = fileSource(fs, file.layer === 'container' ? 'merged' : file.layer, file.path);
    if (!source.found) throw vscode.FileSystemError.FileNotFound(source.reason);
    const layer = fs.layers[source.layer];
    const api = this.ctx.connections().get(file.target.address);
    const bytes = await readWithProgress(`Reading ${file.path} from layer ${source.layer + 1}`,
      () => readTarFile(decompressedLayer(contentChunks(api, file.target.namespace, layer.descriptor.digest)), source.path, maxOpenBytes));
    if (!bytes) throw vscode.FileSystemError.FileNotFound(`${source.path} is not in layer ${source.layer + 1} of ${file.target.image}`);
    return bytes;
  }

  private async readContainerFile(file: LayerFile, container: DiffSubject): Promise<Uint8Array> {
    const bytes = await readWithProgress(`Reading ${file.path} from container ${container.id}`, () => this.filesystems.containerFile(file.target, file.path, maxOpenBytes));
    if (!bytes) throw vscode.FileSystemError.FileNotFound(`container ${container.id} no longer holds a changed /${file.path}`);
    return bytes;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('image layers are read-only');
  }

  writeFile(): never {
    throw vscode.FileSystemError.NoPermissions('image layers are read-only');
  }

  delete(): never {
    throw vscode.FileSystemError.NoPermissions('image layers are read-only');
  }

  rename(): never {
    throw vscode.FileSystemError.NoPermissions('image layers are read-only');
  }
}

const badges: Readonly<Record<ChangeKind, readonly [string, string, string]>> = {
  added: ['A', 'Added', 'gitDecoration.addedResourceForeground'],
  modified: ['M', 'Modified', 'gitDecoration.modifiedResourceForeground'],
  deleted: ['D', 'Deleted', 'gitDecoration.deletedResourceForeground'],
};

/** Made when asked: nothing of vscode is built while the bundle loads. */
function badgeOf(change: ChangeKind): vscode.FileDecoration {
  const [letter, tooltip, color] = badges[change];
  return new vscode.FileDecoration(letter, tooltip, new vscode.ThemeColor(color));
}

export function registerLayerFiles(ctx: Ctx, filesystems: ImageFilesystems): void {
  ctx.own(vscode.workspace.registerFileSystemProvider(layerScheme, new LayerFileSystem(ctx, filesystems), { isReadonly: true, isCaseSensitive: true }));
  ctx.own(vscode.window.registerFileDecorationProvider({
    provideFileDecoration: (uri) => {
      if (uri.scheme !== layerScheme) return undefined;
      const change = (JSON.parse(uri.query || '{}') as { change?: ChangeKind }).change;
      return change && change in badges ? badgeOf(change) : undefined;
    },
  }));
}
