// nerdctl's image workflows in terminals: pull and load into the explorer's scope (or the row's
// daemon), tag, push and save an image row. Each value is checked as it is typed.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { loadArgs, pullArgs, pushArgs, saveArgs, tagArgs } from '../nerdctl/containerArgs';
import { pushesEveryPlatform } from '../nerdctl/registry';
import * as validate from '../nerdctl/validate';
import type { ImageNode } from '../views/imagesTree';
import { copyImage, imageAt } from './copyImage';
import { openNerdctlTerminal } from './nerdctlTarget';
import { pickImage } from './rowPicker';
import { registerCommandTable } from './table';
import { pickTarget, type Target } from './targetPicker';

/** A row's daemon and namespace, or the explorer's (a view's title button, the palette). */
async function targetOf(ctx: Ctx, node: ImageNode | undefined, purpose: string): Promise<Target | undefined> {
  if (node?.kind === 'image') return { address: node.image.address, namespace: node.image.namespace };
  if (node?.kind === 'namespace' || node?.kind === 'repository') return { address: node.address, namespace: node.namespace };
  return pickTarget(ctx, purpose);
}

export function registerImageCommands(ctx: Ctx): void {
  registerCommandTable(ctx, {
    'containerd.images.pull': async (node?: ImageNode) => {
      const target = await targetOf(ctx, node, 'pull into');
      if (!target) return;
      const reference = await vscode.window.showInputBox({
        title: `Pull into namespace "${target.namespace}" of containerd at ${target.address}`,
        prompt: 'An image reference, e.g. docker.io/library/alpine:3.20 or registry.example:5000/team/app:v1',
        validateInput: validate.imageReference,
      });
      if (!reference) return;
      await openNerdctlTerminal(ctx, `nerdctl pull ${reference}`, target, pullArgs(reference));
    },
    'containerd.images.tag': async (given?: ImageNode) => {
      const node = given ?? await pickImage(ctx, 'tag');
      if (node?.kind !== 'image') return;
      const source = node.image.record.name;
      const target = await vscode.window.showInputBox({ title: `Tag ${source}`, prompt: 'The new name, e.g. registry.example:5000/team/app:v2', value: source, validateInput: validate.imageTag });
      if (!target || target === source) return;
      await openNerdctlTerminal(ctx, `nerdctl tag ${target}`, node.image, tagArgs(source, target));
    },
    'containerd.images.push': async (given?: ImageNode) => {
      const node = given ?? await pickImage(ctx, 'push');
      if (node?.kind !== 'image') return;
      const everyPlatform = pushesEveryPlatform(node.image.resolved?.platforms ?? []);
      await openNerdctlTerminal(ctx, `nerdctl push ${node.image.record.name}`, node.image, pushArgs(node.image.record.name, everyPlatform));
    },
    'containerd.images.save': async (given?: ImageNode) => {
      const node = given ?? await pickImage(ctx, 'save');
      if (node?.kind !== 'image') return;
      const name = node.image.record.name;
      const base = name.replace(/[^A-Za-z0-9._-]+/g, '_');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = await vscode.window.showSaveDialog({ title: `Save ${name} (all platforms) as a tar archive`, saveLabel: 'Save Archive', filters: { 'Image archive': ['tar'] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${base}.tar`) } : {}) });
      if (!uri) return;
      if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file: nerdctl writes to this machine's disk`);
      await openNerdctlTerminal(ctx, `nerdctl save ${name}`, node.image, saveArgs([name], uri.fsPath));
    },
    'containerd.images.copyTo': async (given?: ImageNode) => {
      const node = given ?? await pickImage(ctx, 'copy');
      if (node?.kind === 'image') await copyImage(ctx, imageAt(node.image));
    },
    'containerd.images.load': async (node?: ImageNode) => {
      const target = await targetOf(ctx, node, 'load into');
      if (!target) return;
      const [uri] = await vscode.window.showOpenDialog({ title: `Load an image archive into namespace "${target.namespace}" of containerd at ${target.address}`, canSelectMany: false, openLabel: 'Load Archive', filters: { 'Image archive': ['tar'] } }) ?? [];
      if (!uri) return;
      if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file: nerdctl reads from this machine's disk`);
      await openNerdctlTerminal(ctx, 'nerdctl load', target, loadArgs(uri.fsPath));
    },
  });
}
