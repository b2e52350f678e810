// The Images view: images of the scope grouped by repository, each with its tag, short digest,
// platforms and content size; the unpacked size is computed only when a row's tooltip is opened.
// Rows show as soon as Images.List answers; platforms and sizes follow in one repaint. Image
// documents are cached by digest (blobs are immutable), so a warm reload only lists.
import * as vscode from 'vscode';
import type { ContainerdClient } from '../containerd/connection/client';
import { unpackedSize, unpackedSnapshotters, type ResolvedImage } from '../containerd/images/images';
import { formatAge, formatBytes, shortDigest } from '../model/format';
import { listImageRows, resolveImageRows, type ImageRow, type NamespaceImages } from '../model/imageRows';
import { settlesWithin } from '../model/settlesWithin';
import type { AreaChange } from './eventRouter';
import type { Scope } from './scope';
import { ScopedTree } from './scopedTree';
import type { Ctx } from '../ctx';
import { codeSpan, escapeMarkdown } from '../model/markdown';
import { namespaceGroupItem } from './namespaceGroupItem';

export type { ImageRow } from '../model/imageRows';

export type ImageNode =
  | { readonly kind: 'namespace'; readonly address: string; readonly namespace: string; readonly children: readonly ImageNode[] }
  | { readonly kind: 'repository'; readonly address: string; readonly namespace: string; readonly repository: string; readonly images: readonly ImageRow[] }
  | { readonly kind: 'image'; readonly image: ImageRow };

/** How long a re-read waits for its images to resolve (its old rows stay on screen meanwhile) before its rows show without them. */
const resolveWaitMs = 1000;

/** containerd's default snapshotter on Linux. */
const defaultSnapshotter = 'overlayfs';

function platformsText(resolved: ResolvedImage): string {
  return resolved.platforms.map((p) => (p.contentSize !== undefined ? p.platform : `${p.platform} (not pulled)`)).join(', ');
}

export class ImagesTree extends ScopedTree<ImageNode> {
  /** What the last load read, so a new grouping repaints without asking the daemon. */
  private lastRead: { scope: Scope; perNamespace: readonly NamespaceImages[] } | undefined;
  /** Counts loads: only the newest one's resolution may repaint. */
  private loads = 0;

  constructor(ctx: Ctx) {
    super(ctx, 'images');
  }

  /** Every images change of every endpoint (and the Refresh button) reaches the endpoint's blob cache first. */
  protected override changing(change: AreaChange): void {
    this.ctx.blobs.existing(change.address)?.forgetStale(change.namespaces, change.contentDeleted);
  }

  /**
   * The rows from Images.List, shown as "resolving…" and repainted once every image is resolved.
   * A re-read of rows on screen (an event, Refresh) waits a little for the resolution, which the
   * cached documents make quick, so its rows come in one paint.
   */
  protected async load(client: ContainerdClient, scope: Scope, namespaces: readonly string[]): Promise<ImageNode[]> {
    const load = ++this.loads;
    const onScreen = this.lastRead?.scope.address === scope.address && this.lastRead.scope.namespace === scope.namespace;
    const listed = await listImageRows(client, scope.address, namespaces);
    // A first read resolves after every view's first rows (it reads thousands of documents).
    const resolving = (onScreen ? Promise.resolve() : this.ctx.foreground.idle()).then(() => resolveImageRows(client, this.ctx.blobs.for(scope.address), listed));
    const resolved = await settlesWithin(resolving, onScreen ? resolveWaitMs : 0) ? await resolving : undefined;
    this.lastRead = { scope, perNamespace: resolved ?? listed };
    if (!resolved) {
      void resolving.then((perNamespace) => {
        const current = this.ctx.scope.get();
        // A newer load (or another scope) owns the rows now.
        if (load !== this.loads || current?.address !== scope.address || current.namespace !== scope.namespace) return;
        const failed = perNamespace.flatMap((n) => n.rows).find((row) => row.failure);
        if (failed) this.ctx.log.warn(`images: ${failed.record.name} not resolved: ${failed.failure ?? ''}`);
        this.lastRead = { scope, perNamespace };
        this.repaint();
      });
    }
    return this.rootRows(scope, this.lastRead.perNamespace);
  }

  protected override rebuild(): ImageNode[] | undefined {
    return this.lastRead && this.rootRows(this.lastRead.scope, this.lastRead.perNamespace);
  }

  private rootRows(scope: Scope, perNamespace: readonly NamespaceImages[]): ImageNode[] {
    const grouped = perNamespace.map(({ namespace, rows }) => ({ namespace, children: this.rows(scope.address, namespace, rows) }));
    if (scope.namespace !== undefined) return [...(grouped[0]?.children ?? [])];
    return grouped.filter((n) => n.children.length > 0).map(({ namespace, children }) => ({ kind: 'namespace', address: scope.address, namespace, children }));
  }

  private groupByRepository(): boolean {
    return this.ctx.config().groupImagesByRepository;
  }

  protected childrenOf(node: ImageNode): ImageNode[] {
    if (node.kind === 'namespace') return [...node.children];
    if (node.kind === 'repository') return node.images.map((image) => ({ kind: 'image', image }));
    return [];
  }

  getTreeItem(node: ImageNode): vscode.TreeItem {
    if (node.kind === 'namespace') return namespaceGroupItem('images', node);
    if (node.kind === 'repository') {
      const item = new vscode.TreeItem(node.repository, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `repo:${node.address}#${node.namespace}#${node.repository}`;
      item.iconPath = new vscode.ThemeIcon('repo');
      item.description = `${node.images.length} tag${node.images.length === 1 ? '' : 's'}`;
      item.contextValue = 'repository';
      return item;
    }
    return this.imageItem(node.image);
  }

  /** The tooltip with the unpacked size, computed on hover: it costs a Usage call per layer. */
  async resolveTreeItem(item: vscode.TreeItem, node: ImageNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'image') return item;
    if (!node.image.resolved) {
      item.tooltip = this.tooltip(node.image);
      return item;
    }
    const { address, namespace, resolved } = node.image;
    const client = this.ctx.connections().get(address);
    // Where the user's tools unpack on this daemon, when the labels say nothing (an old unpack).
    const preferred = this.ctx.endpoints.latest?.find((s) => s.endpoint.address === address)?.endpoint.snapshotter ?? defaultSnapshotter;
    const lines = await Promise.all(resolved.platforms.map(async (p) => {
      const labelled = p.config ? await unpackedSnapshotters(client, namespace, p.config.digest).catch(() => []) : [];
      const snapshotters = labelled.length > 0 ? labelled : [preferred];
      // Layers may be gone after an unpack while the snapshots stay: ask whenever diff_ids are known.
      const sizes = await Promise.all(snapshotters.map(async (snapshotter) => {
        const size = p.diffIds.length > 0 ? await unpackedSize(client, namespace, snapshotter, p.diffIds).catch(() => undefined) : undefined;
        return `${escapeMarkdown(snapshotter)} ${size === undefined ? 'not unpacked' : formatBytes(size)}`;
      }));
      return `- ${escapeMarkdown(p.platform)}: ${sizes.join(', ')}\n`;
    }));
    const md = this.tooltip(node.image);
    md.appendMarkdown('\n\nunpacked:  \n');
    for (const line of lines) md.appendMarkdown(line);
    item.tooltip = md;
    return item;
  }

  private imageItem(row: ImageRow): vscode.TreeItem {
    const { reference, resolved, record } = row;
    const label = this.groupByRepository() ? (reference.dangling ? '<none>' : reference.tag ?? '<none>') : reference.name;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `image:${row.address}#${row.namespace}#${record.name}`;
    item.iconPath = new vscode.ThemeIcon(reference.dangling ? 'circle-slash' : 'package');
    const details = resolved ? [platformsText(resolved), formatBytes(resolved.contentSize)] : [row.failure === undefined ? 'resolving…' : 'not resolved'];
    item.description = [shortDigest(record.target.digest), ...details].join(' · ');
    item.contextValue = reference.dangling ? 'image.dangling' : 'image';
    // Left unset: VS Code asks resolveTreeItem only for a tooltip that is undefined.
    return item;
  }

  private tooltip(row: ImageRow): vscode.MarkdownString {
    const { reference, resolved, record } = row;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(record.name)}**${reference.dangling ? ' (dangling)' : ''}\n\n`);
    if (!resolved) {
      md.appendMarkdown(`digest: ${codeSpan(record.target.digest)}  \nnamespace: ${codeSpan(row.namespace)}  \n\n${row.failure === undefined ? 'platforms and sizes: resolving…' : `⚠ not resolved: ${escapeMarkdown(row.failure)}`}\n`);
      return md;
    }
    md.appendMarkdown(`digest: ${codeSpan(record.target.digest)}  \nnamespace: ${codeSpan(row.namespace)}  \ncontent size: ${formatBytes(resolved.contentSize)}  \n`);
    if (record.createdAt) md.appendMarkdown(`created: ${record.createdAt.toISOString()} (${formatAge(record.createdAt, new Date())})  \n`);
    md.appendMarkdown('\nplatforms:  \n');
    for (const p of resolved.platforms) {
      md.appendMarkdown(`- ${escapeMarkdown(p.platform)}: ${p.contentSize !== undefined ? formatBytes(p.contentSize) : 'not pulled'} ${codeSpan(shortDigest(p.manifest.digest))}\n`);
    }
    if (resolved.error) md.appendMarkdown(`\n⚠ ${escapeMarkdown(resolved.error)}\n`);
    return md;
  }

  private rows(address: string, namespace: string, images: readonly ImageRow[]): ImageNode[] {
    const sorted = [...images].sort((a, b) => a.record.name.localeCompare(b.record.name));
    if (!this.groupByRepository()) return sorted.map((image) => ({ kind: 'image', image }));
    const groups = new Map<string, ImageRow[]>();
    for (const image of sorted) {
      const repository = image.reference.dangling ? '<none>' : image.reference.repository ?? image.record.name;
      const group = groups.get(repository);
      if (group) group.push(image);
      else groups.set(repository, [image]);
    }
    return [...groups.entries()].map(([repository, rows]) => ({ kind: 'repository', address, namespace, repository, images: rows }));
  }
}
