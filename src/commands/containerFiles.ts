// Files in and out of a container with nerdctl cp, from a container row: pick files or a folder
// here and a folder there (or the reverse); the copy runs in a terminal named after the container.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { copyFromArgs, copyIntoArgs } from '../nerdctl/containerArgs';
import { absolutePath } from '../nerdctl/validate';
import type { ContainerNode } from '../views/containersTree';
import { openNerdctlTerminal } from './nerdctlTarget';
import { pickContainer } from './rowPicker';
import { registerCommandTable } from './table';

function localPath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file: nerdctl copies to and from this machine's disk`);
  return uri.fsPath;
}

export function registerContainerFileCommands(ctx: Ctx): void {
  registerCommandTable(ctx, {
    'containerd.containers.copyInto': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'copy files into');
      if (node?.kind !== 'container') return;
      const c = node.container;
      const sources = await vscode.window.showOpenDialog({ title: `Copy into container ${c.name}`, canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Copy Into Container' });
      if (!sources || sources.length === 0) return;
      const destination = await vscode.window.showInputBox({
        title: `Copy ${sources.length === 1 ? 'it' : `${sources.length} items`} into container ${c.name}: destination folder`,
        prompt: 'An absolute path inside the container; the folder must exist',
        value: '/tmp/',
        validateInput: absolutePath,
      });
      if (!destination) return;
      // nerdctl cp takes one source: one terminal each, named after it so none replaces another.
      for (const source of sources) {
        const name = posix.basename(source.path);
        await openNerdctlTerminal(ctx, `cp ${name} into ${c.name}`, { address: node.address, namespace: c.namespace }, copyIntoArgs(c.id, localPath(source), destination));
      }
    },
    'containerd.containers.copyFrom': async (given?: ContainerNode) => {
      const node = given ?? await pickContainer(ctx, 'copy files from');
      if (node?.kind !== 'container') return;
      const c = node.container;
      const source = await vscode.window.showInputBox({ title: `Copy from container ${c.name}: file or folder`, prompt: 'An absolute path inside the container, e.g. /etc/os-release or /var/log', validateInput: absolutePath });
      if (!source) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const [target] = await vscode.window.showOpenDialog({ title: `Copy ${source} from ${c.name} into this folder`, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Copy Here', ...(folder ? { defaultUri: folder } : {}) }) ?? [];
      if (!target) return;
      await openNerdctlTerminal(ctx, `cp from ${c.name}`, { address: node.address, namespace: c.namespace }, copyFromArgs(c.id, source, localPath(target)));
    },
  });
}
