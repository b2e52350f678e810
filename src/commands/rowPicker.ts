// From the palette, the row commands act on what the user picks: a container or an image of the
// explorer's scope (its namespace, or one picked when it shows all), read fresh from the daemon,
// so a palette command and a menu command reach the same row and the same endpoint.
import * as vscode from 'vscode';
import { listContainerEntries, withTasks, type ContainerSummary } from '../containerd/containers/containers';
import { listTasks } from '../containerd/tasks/tasks';
import type { Ctx } from '../ctx';
import { stateText } from '../model/containerRows';
import { shortDigest } from '../model/format';
import { listImageRows, resolveImageRows, type ImageRow } from '../model/imageRows';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import { pickTarget } from './targetPicker';

export type ContainerRow = ContainerNode & { kind: 'container' };
export type ImageRowNode = ImageNode & { kind: 'image' };

export async function pickContainer(ctx: Ctx, purpose: string, accepts: (c: ContainerSummary) => boolean = () => true): Promise<ContainerRow | undefined> {
  const target = await pickTarget(ctx, purpose);
  if (!target) return undefined;
  const api = ctx.connections().get(target.address);
  const [entries, tasks] = await Promise.all([listContainerEntries(api, target.namespace), listTasks(api, target.namespace)]);
  const containers = withTasks(entries, tasks).filter(accepts);
  if (containers.length === 0) {
    void vscode.window.showInformationMessage(`No container in namespace "${target.namespace}" of containerd at ${target.address} to ${purpose}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    containers.map((container) => ({ label: container.name, description: [stateText(container), container.image].filter(Boolean).join(' · '), detail: container.id, container })),
    { title: `Container to ${purpose} (namespace "${target.namespace}")`, matchOnDescription: true, matchOnDetail: true },
  );
  return picked && { kind: 'container', address: target.address, container: picked.container };
}

export async function pickImage(ctx: Ctx, purpose: string): Promise<ImageRowNode | undefined> {
  const target = await pickTarget(ctx, purpose);
  if (!target) return undefined;
  const api = ctx.connections().get(target.address);
  const listed = await listImageRows(api, target.address, [target.namespace]);
  const rows: ImageRow[] = (await resolveImageRows(api, ctx.blobs.for(target.address), listed)).flatMap((n) => n.rows);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage(`No image in namespace "${target.namespace}" of containerd at ${target.address} to ${purpose}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    rows.map((image) => ({ label: image.record.name, description: [shortDigest(image.record.target.digest), image.resolved?.platforms.map((p) => p.platform).join(', ')].filter(Boolean).join(' · '), image })),
    { title: `Image to ${purpose} (namespace "${target.namespace}")`, matchOnDescription: true },
  );
  return picked && { kind: 'image', image: picked.image };
}
