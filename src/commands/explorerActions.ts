// Commands on the explorer's rows: inspect, copy, and the destructive ones (delete an image,
// kill or delete a task, remove a snapshot), which always ask first and name what goes.
import * as vscode from 'vscode';
import { listContainerRecords } from '../containerd/containers';
import { deleteImage } from '../containerd/images';
import { removeSnapshot } from '../containerd/snapshots';
import { deleteTask, killTask } from '../containerd/tasks';
import type { Ctx } from '../ctx';
import type { InspectDocumentsApi } from '../providers/inspectDocuments';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import type { NamespacesNode } from '../views/namespacesModel';
import type { SnapshotsNode } from '../views/snapshotsTree';

type Handler = (...args: never[]) => unknown;

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
}

function imageOf(node: ImageNode | undefined): (ImageNode & { kind: 'image' }) | undefined {
  return node?.kind === 'image' ? node : undefined;
}

function containerOf(node: ContainerNode | undefined): (ContainerNode & { kind: 'container' }) | undefined {
  return node?.kind === 'container' ? node : undefined;
}

function snapshotOf(node: SnapshotsNode | undefined): (SnapshotsNode & { kind: 'snapshot' }) | undefined {
  return node?.kind === 'snapshot' ? node : undefined;
}

export function explorerActions(ctx: Ctx, inspect: InspectDocumentsApi): Record<string, Handler> {
  const api = (address: string) => ctx.connections().get(address);
  return {
    'containerd.namespaces.inspect': (node?: NamespacesNode) => node?.kind === 'namespace'
      && inspect.open({ kind: 'namespace', address: node.status.endpoint.address, namespace: node.namespace.name, labels: node.namespace.labels }),

    'containerd.images.inspect': (node?: ImageNode) => {
      const n = imageOf(node);
      return n && inspect.open({ kind: 'image', address: n.image.address, namespace: n.image.namespace, name: n.image.record.name });
    },
    'containerd.images.copyReference': (node?: ImageNode) => imageOf(node) && copy(imageOf(node)?.image.record.name ?? '', 'image reference'),
    'containerd.images.copyDigest': (node?: ImageNode) => imageOf(node) && copy(imageOf(node)?.image.record.target.digest ?? '', 'image digest'),
    'containerd.images.delete': async (node?: ImageNode) => {
      const n = imageOf(node);
      if (!n) return;
      const { address, namespace, record } = n.image;
      const users = (await listContainerRecords(api(address), namespace)).filter((c) => c.image === record.name);
      const detail = [
        `The image record ${record.name} (${record.target.digest}) is removed from namespace "${namespace}".`,
        'Its content and unpacked snapshots are garbage-collected unless another image references them.',
        users.length > 0 ? `Containers created from it keep running and keep their snapshots: ${users.map((c) => c.name).join(', ')}.` : '',
      ].filter(Boolean).join('\n\n');
      if (!(await confirm(`Delete image ${record.name}?`, detail, 'Delete Image'))) return;
      await deleteImage(api(address), namespace, record.name, true);
    },

    'containerd.containers.inspect': (node?: ContainerNode) => {
      const n = containerOf(node);
      return n && inspect.open({ kind: 'container', address: n.address, namespace: n.container.namespace, id: n.container.id });
    },
    'containerd.containers.stats': (node?: ContainerNode) => {
      const n = containerOf(node);
      return n && inspect.open({ kind: 'stats', address: n.address, namespace: n.container.namespace, id: n.container.id });
    },
    'containerd.containers.copyId': (node?: ContainerNode) => containerOf(node) && copy(containerOf(node)?.container.id ?? '', 'container id'),
    'containerd.containers.kill': async (node?: ContainerNode) => {
      const n = containerOf(node);
      if (!n) return;
      const c = n.container;
      const choice = await vscode.window.showWarningMessage(`Stop the task of container ${c.name}?`, {
        modal: true,
        detail: `Process ${c.task?.pid ?? '?'} of ${c.id} in namespace "${c.namespace}" gets the signal. SIGTERM lets it shut down; SIGKILL ends it at once. The container and its snapshot stay.`,
      }, 'Send SIGTERM', 'Send SIGKILL');
      if (!choice) return;
      await killTask(api(n.address), c.namespace, c.id, choice === 'Send SIGKILL' ? 'SIGKILL' : 'SIGTERM');
    },
    'containerd.containers.deleteTask': async (node?: ContainerNode) => {
      const n = containerOf(node);
      if (!n) return;
      const c = n.container;
      const detail = `The stopped task (exit code ${c.task?.exitStatus ?? '?'}) of ${c.id} in namespace "${c.namespace}" is deleted. The container, its snapshot and its image stay.`;
      if (!(await confirm(`Delete the task of container ${c.name}?`, detail, 'Delete Task'))) return;
      await deleteTask(api(n.address), c.namespace, c.id);
    },

    'containerd.snapshots.inspect': (node?: SnapshotsNode) => {
      const n = snapshotOf(node);
      return n && inspect.open({ kind: 'snapshot', address: n.address, namespace: n.namespace, snapshotter: n.node.snapshot.snapshotter, key: n.node.snapshot.key });
    },
    'containerd.snapshots.copyKey': (node?: SnapshotsNode) => snapshotOf(node) && copy(snapshotOf(node)?.node.snapshot.key ?? '', 'snapshot key'),
    'containerd.snapshots.remove': async (node?: SnapshotsNode) => {
      const n = snapshotOf(node);
      if (!n) return;
      const { snapshot } = n.node;
      const detail = `Snapshot ${snapshot.key} (${snapshot.kind}) is removed from the ${snapshot.snapshotter} snapshotter in namespace "${n.namespace}", with its data on disk. containerd refuses if another snapshot is built on it; the extension refuses if a container uses it.`;
      if (!(await confirm(`Remove snapshot ${snapshot.key}?`, detail, 'Remove Snapshot'))) return;
      await removeSnapshot(api(n.address), n.namespace, snapshot.snapshotter, snapshot.key);
    },
  };
}
