// Actions on the explorer's rows: copy, and the destructive ones (delete an image, stop or delete
// a task, remove a snapshot), which always ask first and name what goes and on which daemon.
// Each acts on the row's own endpoint and namespace, and only on endpoints the extension knows.
import * as vscode from 'vscode';
import type { ContainerdClient } from '../containerd/connection/client';
import { listContainerRecords } from '../containerd/containers/containers';
import { deleteImageIfUnchanged } from '../containerd/images/images';
import { removeSnapshot } from '../containerd/snapshots/removeSnapshot';
import { deleteTask, killTask } from '../containerd/tasks/tasks';
import type { Ctx } from '../ctx';
import { isKnownEndpoint } from '../model/scopeChoice';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import type { SnapshotsNode } from '../views/snapshotsTree';
import { registerCommandTable } from './table';

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
}

export function registerRowActions(ctx: Ctx): void {
  /** A command: link or another extension may hand us any object: act only on known daemons. */
  const api = (address: string): ContainerdClient => {
    const text = String(address);
    if (!isKnownEndpoint(ctx.endpoints.latest, address)) throw new Error(`${text} is not a containerd endpoint this extension knows: nothing was done`);
    return ctx.connections().get(address);
  };
  const daemon = (address: string): string => `containerd at ${address}`;
  registerCommandTable(ctx, {
    'containerd.images.copyReference': (node?: ImageNode) => node?.kind === 'image' && copy(node.image.record.name, 'image reference'),
    'containerd.images.copyDigest': (node?: ImageNode) => node?.kind === 'image' && copy(node.image.record.target.digest, 'image digest'),
    'containerd.images.delete': async (node?: ImageNode) => {
      if (node?.kind !== 'image') return;
      const { address, namespace, record } = node.image;
      const client = api(address);
      const users = (await listContainerRecords(client, namespace)).filter((c) => c.image === record.name);
      const detail = [
        `The image record ${record.name} (${record.target.digest}) is removed from namespace "${namespace}" of ${daemon(address)}.`,
        'Its content and unpacked snapshots are garbage-collected unless another image references them.',
        users.length > 0 ? `Containers created from it keep running and keep their snapshots: ${users.map((c) => c.name).join(', ')}.` : '',
      ].filter(Boolean).join('\n\n');
      if (!(await confirm(`Delete image ${record.name}?`, detail, 'Delete Image'))) return;
      // The tag may have moved while the modal was open: only the digest shown goes.
      await deleteImageIfUnchanged(client, namespace, record.name, record.target.digest);
      ctx.events.changedByUs(address, 'images', namespace);
    },

    'containerd.containers.copyId': (node?: ContainerNode) => node?.kind === 'container' && copy(node.container.id, 'container id'),
    'containerd.containers.kill': async (node?: ContainerNode) => {
      if (node?.kind !== 'container') return;
      const c = node.container;
      const client = api(node.address);
      const choice = await vscode.window.showWarningMessage(`Stop the task of container ${c.name}?`, {
        modal: true,
        detail: `Process ${c.task?.pid ?? '?'} of ${c.id} in namespace "${c.namespace}" of ${daemon(node.address)} gets the signal. SIGTERM lets it shut down; SIGKILL ends it at once. The container and its snapshot stay.`,
      }, 'Send SIGTERM', 'Send SIGKILL');
      if (!choice) return;
      await killTask(client, c.namespace, c.id, choice === 'Send SIGKILL' ? 'SIGKILL' : 'SIGTERM');
    },
    'containerd.containers.deleteTask': async (node?: ContainerNode) => {
      if (node?.kind !== 'container') return;
      const c = node.container;
      const client = api(node.address);
      const detail = `The stopped task (exit code ${c.task?.exitStatus ?? '?'}) of ${c.id} in namespace "${c.namespace}" of ${daemon(node.address)} is deleted. The container, its snapshot and its image stay.`;
      if (!(await confirm(`Delete the task of container ${c.name}?`, detail, 'Delete Task'))) return;
      await deleteTask(client, c.namespace, c.id);
      ctx.events.changedByUs(node.address, 'tasks', c.namespace);
    },

    'containerd.snapshots.copyKey': (node?: SnapshotsNode) => node?.kind === 'snapshot' && copy(node.node.snapshot.key, 'snapshot key'),
    'containerd.snapshots.remove': async (node?: SnapshotsNode) => {
      if (node?.kind !== 'snapshot') return;
      const { snapshot } = node.node;
      const client = api(node.address);
      const detail = `Snapshot ${snapshot.key} (${snapshot.kind}) is removed from the ${snapshot.snapshotter} snapshotter in namespace "${node.namespace}" of ${daemon(node.address)}, with its data on disk. containerd refuses if another snapshot is built on it; the extension refuses if a container, an unpacked image, a lease (BuildKit's cache, a pull) or an unpack in progress uses it.`;
      if (!(await confirm(`Remove snapshot ${snapshot.key}?`, detail, 'Remove Snapshot'))) return;
      await removeSnapshot(client, node.namespace, snapshot.snapshotter, snapshot.key, { blobs: ctx.blobs.for(node.address) });
      ctx.events.changedByUs(node.address, 'snapshots', node.namespace);
    },
  });
}
