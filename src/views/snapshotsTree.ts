// The Snapshots view: per snapshotter (failed plugins say why), the snapshots as parent chains,
// with kind and who uses each; sizes are asked for only when a tooltip opens.
import * as vscode from 'vscode';
import type { ContainerdClient } from '../containerd/connection/client';
import { listContainerRecords } from '../containerd/containers/containers';
import { listSnapshots, listSnapshotters, snapshotUsage, type SnapshotInfo, type Snapshotter } from '../containerd/snapshots/snapshots';
import { imageChains } from '../containerd/images/imageChains';
import { snapshotTree, snapshotUsers, type SnapshotImageRef, type SnapshotNode, type SnapshotUser } from '../containerd/snapshots/snapshotTree';
import { formatAge, formatBytes, shortDigest } from '../model/format';
import { KeptReads } from '../model/keptReads';
import { settlesWithin } from '../model/settlesWithin';
import type { Scope } from './scope';
import type { AreaChange } from './eventRouter';
import { ScopedTree } from './scopedTree';
import type { Ctx } from '../ctx';
import { codeSpan, escapeMarkdown } from '../model/markdown';
import { namespaceGroupItem } from './namespaceGroupItem';

export type SnapshotsNode =
  | { readonly kind: 'namespace'; readonly address: string; readonly namespace: string; readonly children: readonly SnapshotsNode[] }
  | { readonly kind: 'snapshotter'; readonly address: string; readonly namespace: string; readonly snapshotter: Snapshotter; readonly roots: readonly SnapshotNode[]; readonly users: Users }
  | { readonly kind: 'snapshot'; readonly address: string; readonly namespace: string; readonly node: SnapshotNode; readonly users: Users };

/** Who uses each snapshot: filled in when known, with the rows or soon after them. */
interface Users { map: ReadonlyMap<string, SnapshotUser[]> }

/**
 * How long a re-read waits for its users before its rows show without them. A namespace's first
 * read does not wait: nothing is on screen yet, and its users may need every image resolved.
 */
const usersWaitMs = 1000;

/**
 * Chains open by themselves down to this depth, past any real image (Docker caps images at 127
 * layers); a deeper chain (bad or hostile content) opens one level per click instead of making
 * the view ask for thousands of levels.
 */
const autoExpandDepth = 128;

/** Chain ids and container ids are long; the row shows what a person can tell apart. */
function keyLabel(key: string): string {
  return key.startsWith('sha256:') ? `sha256:${shortDigest(key)}` : key;
}

function userText(user: SnapshotUser): string {
  return user.kind === 'container' ? `container ${user.name}` : `image ${user.name}`;
}

export class SnapshotsTree extends ScopedTree<SnapshotsNode> {
  /** A namespace's rows, kept until a snapshot, container or image event (or a resync) there. */
  private readonly rows = new KeptReads<SnapshotsNode[]>();
  /** `address#namespace` read at least once: their rows are on screen while a re-read runs. */
  private readonly readBefore = new Set<string>();

  constructor(ctx: Ctx) {
    super(ctx, 'snapshots', ['containers', 'images']);
  }

  protected override changing(change: AreaChange): void {
    this.rows.forget(change.address, change.namespaces);
  }

  /** Each image's top layer as a chain id: the committed snapshot its unpack ends in. */
  private async imageRefs(client: ContainerdClient, namespace: string, address: string): Promise<SnapshotImageRef[]> {
    const chains = await imageChains(client, namespace, this.ctx.blobs.for(address), 32);
    return chains.flatMap(({ name, chain }) => {
      const top = chain.at(-1);
      return top ? [{ name, chainId: top }] : [];
    });
  }


  protected async load(client: ContainerdClient, scope: Scope, namespaces: readonly string[]): Promise<SnapshotsNode[]> {
    const perNamespace = await Promise.all(namespaces.map(async (namespace) => ({ namespace, children: await this.namespaceRows(client, scope.address, namespace) })));
    if (scope.namespace !== undefined) return [...(perNamespace[0]?.children ?? [])];
    return perNamespace.map(({ namespace, children }) => ({ kind: 'namespace', address: scope.address, namespace, children }));
  }

  private namespaceRows(client: ContainerdClient, address: string, namespace: string): Promise<SnapshotsNode[]> {
    const read: Promise<SnapshotsNode[]> = this.rows.get(address, namespace, () => this.readNamespace(client, address, namespace, () => this.rows.peek(address, namespace) === read));
    return read;
  }

  /** `shown` says whether these rows are still the view's (a newer read replaces them on a change). */
  private async readNamespace(client: ContainerdClient, address: string, namespace: string, shown: () => boolean): Promise<SnapshotsNode[]> {
    // Snapshotters that failed to initialize (btrfs on ext4, unconfigured devmapper) hold nothing.
    const snapshotters = (await listSnapshotters(client)).filter((s) => s.ok);
    const lists = await Promise.all(snapshotters.map(async (snapshotter) => ({ snapshotter, snapshots: await listSnapshots(client, namespace, snapshotter.name) })));
    const children = lists.filter((l) => l.snapshots.length > 0).map(({ snapshotter, snapshots }) => ({
      kind: 'snapshotter' as const, address, namespace, snapshotter, snapshots, roots: snapshotTree(snapshots), users: { map: new Map<string, SnapshotUser[]>() },
    }));
    // Users that come soon show with the rows (one paint); later ones cost one repaint, if the
    // rows are still shown by then (during a burst of events they seldom are).
    // A first read's users wait for every view's first rows: they need every image resolved.
    const key = `${address}#${namespace}`;
    const first = !this.readBefore.has(key);
    this.readBefore.add(key);
    const users = (first ? this.ctx.foreground.idle() : Promise.resolve()).then(() => this.fillUsers(client, address, namespace, children));
    if (!await settlesWithin(users, first ? 0 : usersWaitMs)) void users.then(() => shown() && this.repaintAll());
    return children.map(({ snapshots: _snapshots, ...node }) => node);
  }

  /** Who uses each snapshot: containers (one ListStream) and images (every image resolved). */
  private async fillUsers(client: ContainerdClient, address: string, namespace: string, children: readonly { snapshots: readonly SnapshotInfo[]; users: Users }[]): Promise<void> {
    try {
      const [containers, images] = await Promise.all([listContainerRecords(client, namespace), this.imageRefs(client, namespace, address)]);
      for (const c of children) c.users.map = snapshotUsers(c.snapshots, containers, images);
    } catch (error) {
      this.ctx.log.warn(`snapshot users in ${namespace}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  protected childrenOf(node: SnapshotsNode): SnapshotsNode[] {
    if (node.kind === 'namespace') return [...node.children];
    if (node.kind === 'snapshotter') return node.roots.map((root) => ({ kind: 'snapshot', address: node.address, namespace: node.namespace, node: root, users: node.users }));
    return node.node.children.map((child) => ({ kind: 'snapshot', address: node.address, namespace: node.namespace, node: child, users: node.users }));
  }

  getTreeItem(node: SnapshotsNode): vscode.TreeItem {
    if (node.kind === 'namespace') return namespaceGroupItem('snapshots', node);
    if (node.kind === 'snapshotter') {
      const { snapshotter } = node;
      const item = new vscode.TreeItem(snapshotter.name, snapshotter.ok ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `snapshotter:${node.address}#${node.namespace}#${snapshotter.name}`;
      item.iconPath = snapshotter.ok ? new vscode.ThemeIcon('layers') : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.description = snapshotter.ok ? `${node.roots.length} chain${node.roots.length === 1 ? '' : 's'}` : 'not available';
      item.tooltip = snapshotter.ok ? `snapshotter ${snapshotter.name}` : `${snapshotter.name} failed to initialize: ${snapshotter.error ?? 'unknown error'}`;
      item.contextValue = snapshotter.ok ? 'snapshotter' : 'snapshotter.failed';
      return item;
    }
    const { snapshot } = node.node;
    const users = node.users.map.get(snapshot.key) ?? [];
    const direct = users.filter((u) => u.direct);
    const state = node.node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
      : node.node.depth < autoExpandDepth ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(keyLabel(snapshot.key), state);
    item.id = `snapshot:${node.address}#${node.namespace}#${snapshot.snapshotter}#${snapshot.key}`;
    item.iconPath = new vscode.ThemeIcon(snapshot.kind === 'active' ? 'edit' : snapshot.kind === 'view' ? 'eye' : 'lock');
    item.description = [snapshot.kind, ...direct.map(userText)].join(' · ');
    item.contextValue = `snapshot.${snapshot.kind}${users.length > 0 ? '.inUse' : ''}`;
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: SnapshotsNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'snapshot') return item;
    const { snapshot } = node.node;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(snapshot.key)}** (${snapshot.kind}, ${escapeMarkdown(snapshot.snapshotter)})  \n`);
    if (snapshot.parent) md.appendMarkdown(`parent: ${codeSpan(snapshot.parent)}  \n`);
    md.appendMarkdown(`created: ${snapshot.createdAt.toISOString()} (${formatAge(snapshot.createdAt, new Date())})  \n`);
    try {
      const usage = await snapshotUsage(this.ctx.connections().get(node.address), node.namespace, snapshot.snapshotter, snapshot.key);
      md.appendMarkdown(`size: ${formatBytes(usage.size)} (${usage.inodes} inodes)  \n`);
    } catch (error) {
      md.appendMarkdown(`size: unknown (${escapeMarkdown(error instanceof Error ? error.message : String(error))})  \n`);
    }
    const users = node.users.map.get(snapshot.key) ?? [];
    if (users.length > 0) md.appendMarkdown(`used by: ${escapeMarkdown(users.map((u) => `${userText(u)}${u.direct ? '' : ' (below)'}`).join(', '))}  \n`);
    item.tooltip = md;
    return item;
  }
}
