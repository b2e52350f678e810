// Browse Files on an image or container row (or from the palette): the image's platform is chosen
// (the one this machine runs first), its filesystem opens in the Files view. Compare opens the
// editor's diff of a file against the same path in another layer or another opened image.
import * as vscode from 'vscode';
import { nativePlatform } from '../buildkit/binfmt';
import { getImage, resolveImage } from '../containerd/images/images';
import type { PlatformImage } from '../containerd/images/imageResolve';
import { resolveMerged } from '../containerd/layers/fileLookup';
import type { Ctx } from '../ctx';
import { layerFileUri, registerLayerFiles, type LayerFile } from '../providers/layerFiles';
import type { ContainerNode } from '../views/containersTree';
import { fileOfRow, filesViewId, FilesTree, type FileNode } from '../views/filesTree';
import { ImageFilesystems, type FilesystemTarget } from '../views/imageFilesystems';
import type { ImageNode } from '../views/imagesTree';
import { pickContainer, pickImage } from './rowPicker';
import { registerCommandTable } from './table';

/** The platforms whose layers are all here, the one this machine runs first. */
export function browsablePlatforms(platforms: readonly PlatformImage[], arch: string): PlatformImage[] {
  const native = nativePlatform(arch);
  return platforms.filter((p) => p.available && !p.error).sort((a, b) => Number(b.platform === native) - Number(a.platform === native) || a.platform.localeCompare(b.platform));
}

async function choosePlatform(ctx: Ctx, address: string, namespace: string, name: string): Promise<FilesystemTarget | undefined> {
  const api = ctx.connections().get(address);
  const record = await getImage(api, namespace, name);
  if (!record) throw new Error(`Image ${name} is not in namespace ${namespace} any more.`);
  const resolved = await resolveImage(api, namespace, record, ctx.blobs.for(address));
  const platforms = browsablePlatforms(resolved.platforms, process.arch);
  if (platforms.length === 0) {
    const why = resolved.error ?? (resolved.platforms.length === 0 ? 'it has no platform' : 'no platform has all its layers in the content store (pull it with all its content first)');
    throw new Error(`Cannot browse the files of ${name}: ${why}.`);
  }
  const chosen = platforms.length === 1 ? platforms[0] : (await vscode.window.showQuickPick(platforms.map((p, i) => ({ label: p.platform, description: i === 0 ? 'runs on this machine' : undefined, platform: p })), { title: `Browse the files of ${name}: which platform?` }))?.platform;
  return chosen && { address, namespace, manifest: chosen.manifest.digest, image: name, platform: chosen.platform };
}

async function show(tree: FilesTree, view: vscode.TreeView<FileNode>, target: FilesystemTarget): Promise<void> {
  const root = tree.open(target);
  await vscode.commands.executeCommand(`${filesViewId}.focus`);
  await view.reveal(root, { expand: true, focus: true, select: true });
}

/** Other layers of the same image, and other opened images, that have the path: the compare choices. */
function compareChoices(tree: FilesTree, file: LayerFile): { label: string; description: string; file: LayerFile }[] {
  const choices: { label: string; description: string; file: LayerFile }[] = [];
  const fs = tree.filesystem(file.target);
  for (const layer of fs?.layers ?? []) {
    if (layer.index === file.layer || !layer.listing.entries.some((e) => e.path === file.path && (e.kind === 'file' || e.kind === 'hardlink'))) continue;
    choices.push({ label: `Layer ${layer.index + 1}`, description: layer.instruction ?? '', file: { target: file.target, layer: layer.index, path: file.path } });
  }
  if (file.layer !== 'merged') choices.push({ label: 'The merged filesystem', description: 'as a container of this image sees it', file: { target: file.target, layer: 'merged', path: file.path } });
  for (const other of tree.targets) {
    const otherFs = tree.filesystem(other);
    if (other === file.target || !otherFs || typeof resolveMerged(otherFs.root, file.path) === 'string') continue;
    choices.push({ label: `${other.image} (${other.platform})`, description: 'another image opened in the Files view', file: { target: other, layer: 'merged', path: file.path } });
  }
  return choices;
}

export function registerFileCommands(ctx: Ctx): void {
  const filesystems = new ImageFilesystems(ctx);
  registerLayerFiles(ctx, filesystems);
  const tree = new FilesTree(filesystems);
  const view = ctx.own(vscode.window.createTreeView(filesViewId, { treeDataProvider: tree, showCollapseAll: true }));
  registerCommandTable(ctx, {
    'containerd.images.browseFiles': async (given?: ImageNode) => {
      const node = given ?? await pickImage(ctx, 'browse');
      if (node?.kind !== 'image') return;
      const target = await choosePlatform(ctx, node.image.address, node.image.namespace, node.image.record.name);
      if (target) await show(tree, view, target);
    },
    'containerd.containers.browseFiles': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'browse the image files of');
      if (node?.kind !== 'container') return;
      const { container } = node;
      if (!container.image) throw new Error(`Container ${container.id} was not created from an image: there are no image files to browse.`);
      const target = await choosePlatform(ctx, node.address, container.namespace, container.image);
      const subject = { id: container.id, snapshotter: container.snapshotter, snapshotKey: container.snapshotKey };
      if (target) await show(tree, view, { ...target, container: subject });
    },
    'containerd.files.close': (node?: FileNode) => {
      if (node?.kind === 'root') tree.close(node.target);
    },
    'containerd.files.refreshChanges': (node?: FileNode) => {
      if (node) tree.refreshContainer(node);
    },
    'containerd.files.copyPath': async (node?: FileNode) => {
      const path = node?.kind === 'entry' ? node.node.path : node?.kind === 'change' ? node.change.path : undefined;
      if (path !== undefined) await vscode.env.clipboard.writeText(`/${path}`);
    },
    'containerd.files.compare': async (node?: FileNode) => {
      const file = node && fileOfRow(node, node.kind === 'message' ? undefined : tree.filesystem(node.target));
      if (!file) return;
      const choices = compareChoices(tree, file);
      if (choices.length === 0) {
        void vscode.window.showInformationMessage(`No other layer of ${file.target.image} writes /${file.path}, and no other opened image has it. Browse Files on another image to compare with it.`);
        return;
      }
      const picked = await vscode.window.showQuickPick(choices, { title: `Compare /${file.path} with…` });
      if (!picked) return;
      const side = (f: LayerFile): string => (f.layer === 'merged' ? f.target.image : f.layer === 'container' ? `container ${f.target.container?.id ?? ''}` : `layer ${f.layer + 1}`);
      await vscode.commands.executeCommand('vscode.diff', layerFileUri(picked.file), layerFileUri(file), `/${file.path} (${side(picked.file)} ↔ ${side(file)})`);
    },
  });
}
