// Prune Stopped Containers… and Prune Dangling Images…: the set is read and shown first, and what
// runs after the confirmation names exactly that set (ids for nerdctl rm; image names pinned to
// their digests for the deletes), so nothing that appeared meanwhile goes with it.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { listContainerRecords } from '../containerd/containers/containers';
import { listImages } from '../containerd/images/images';
import { listTasks } from '../containerd/tasks/tasks';
import { shortDigest } from '../model/format';
import { danglingImages, deletePreviewedImages, previewLines, pruneContainersArgs, prunableContainers } from '../nerdctl/prune';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import { openNerdctlTerminal } from './nerdctlTarget';
import { registerCommandTable } from './table';
import { pickTarget, type Target } from './targetPicker';

function namespaceOf(node: ContainerNode | ImageNode | undefined): Target | undefined {
  return node?.kind === 'namespace' ? { address: node.address, namespace: node.namespace } : undefined;
}

async function confirm(title: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(title, { modal: true, detail }, action)) === action;
}

export function registerPruneCommands(ctx: Ctx): void {
  registerCommandTable(ctx, {
    'containerd.containers.prune': async (node?: ContainerNode) => {
      const target = namespaceOf(node) ?? await pickTarget(ctx, 'prune stopped containers in');
      if (!target) return;
      const api = ctx.connections().get(target.address);
      const [records, tasks] = await Promise.all([listContainerRecords(api, target.namespace), listTasks(api, target.namespace)]);
      const previewed = prunableContainers(records.map((r) => ({ id: r.id, name: r.name, ...(tasks.has(r.id) ? { task: tasks.get(r.id) } : {}) })));
      const where = `namespace "${target.namespace}" of containerd at ${target.address}`;
      if (previewed.length === 0) {
        void vscode.window.showInformationMessage(`No stopped containers in ${where}: nothing to prune.`);
        return;
      }
      const action = `Remove ${previewed.length} Container${previewed.length === 1 ? '' : 's'}`;
      const detail = `${previewLines(previewed.map((c) => `${c.name} (${c.id.slice(0, 12)}, ${c.state === 'created' ? 'never started' : 'exited'})`))}\n\n` +
        'Exactly these are removed, with their writable snapshots. A container created or started meanwhile stays. Images stay.';
      if (!(await confirm(`Remove ${previewed.length} stopped container${previewed.length === 1 ? '' : 's'} from ${where}?`, detail, action))) return;
      await openNerdctlTerminal(ctx, `nerdctl rm ${previewed.length} stopped`, target, pruneContainersArgs(previewed));
    },
    'containerd.images.prune': async (node?: ImageNode) => {
      const target = namespaceOf(node) ?? await pickTarget(ctx, 'prune dangling images in');
      if (!target) return;
      const api = ctx.connections().get(target.address);
      const previewed = danglingImages(await listImages(api, target.namespace));
      const where = `namespace "${target.namespace}" of containerd at ${target.address}`;
      if (previewed.length === 0) {
        void vscode.window.showInformationMessage(`No dangling (untagged) images in ${where}: nothing to prune.`);
        return;
      }
      const action = `Delete ${previewed.length} Image${previewed.length === 1 ? '' : 's'}`;
      const detail = `${previewLines(previewed.map((i) => `${i.name} (${shortDigest(i.digest)})`))}\n\n` +
        'Exactly these image records are deleted; their content and snapshots go with containerd\'s garbage collection unless another image uses them. A name that points elsewhere by then stays.';
      if (!(await confirm(`Delete ${previewed.length} dangling image${previewed.length === 1 ? '' : 's'} from ${where}?`, detail, action))) return;
      const { deleted, kept } = await deletePreviewedImages(api, target.namespace, previewed);
      ctx.events.changedByUs(target.address, 'images', target.namespace);
      void vscode.window.showInformationMessage(`Deleted ${deleted.length} dangling image${deleted.length === 1 ? '' : 's'} from ${where}${kept.length > 0 ? `; kept ${kept.length} that changed since the preview (${kept.join(', ')})` : ''}.`);
    },
  });
}
