// The Namespaces view: containerd namespaces per endpoint. With a single endpoint the namespaces
// are the top level; with several, each endpoint is a node (unreachable ones say why).
import * as vscode from 'vscode';
import type { Namespace } from '../containerd/client';
import type { EndpointStatus } from '../containerd/endpointStatus';
import { ContainerdUnreachableError, reasonText } from '../containerd/errors';
import { unreachableAdvice } from '../containerd/unreachableAdvice';
import { countsText, type NamespaceCounts } from '../containerd/namespaceCounts';
import { childrenOf, type NamespacesNode } from './namespacesModel';

function endpointItem(status: EndpointStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(status.endpoint.label, status.reachable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `endpoint:${status.endpoint.address}`;
  if (status.reachable) {
    item.description = `containerd ${status.version.version}`;
    item.tooltip = new vscode.MarkdownString(`**${status.endpoint.address}**\n\ncontainerd ${status.version.version} (${status.version.revision})`);
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = 'endpoint.connected';
  } else {
    const reason = status.error instanceof ContainerdUnreachableError ? reasonText[status.error.reason] : status.error.message;
    item.description = reason;
    item.tooltip = status.error instanceof ContainerdUnreachableError
      ? `${status.error.message}\n\n${unreachableAdvice(status.error.reason, status.endpoint.address, process.getuid?.() === 0)}`
      : status.error.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = 'endpoint.unreachable';
  }
  return item;
}

/** Which namespace the other views show; `namespace` undefined means all of that endpoint's. */
export interface ActiveScope { readonly address: string; readonly namespace: string | undefined }

function namespaceItem(status: EndpointStatus, namespace: Namespace, active: ActiveScope | undefined, counts: NamespaceCounts | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(namespace.name, vscode.TreeItemCollapsibleState.None);
  item.id = `namespace:${status.endpoint.address}#${namespace.name}`;
  const isActive = active?.address === status.endpoint.address && (active.namespace === undefined || active.namespace === namespace.name);
  item.iconPath = new vscode.ThemeIcon(isActive ? 'pass-filled' : 'symbol-namespace');
  item.contextValue = 'namespace';
  item.command = { command: 'containerd.namespaces.select', title: 'Show This Namespace', arguments: [status.endpoint.address, namespace.name] };
  item.accessibilityInformation = { label: `${namespace.name}${isActive ? ', shown in the explorer' : ''}` };
  const labels = Object.entries(namespace.labels);
  if (counts) item.description = countsText(counts);
  const tooltip = new vscode.MarkdownString(`**${namespace.name}** on ${status.endpoint.address}`);
  for (const [key, value] of labels) tooltip.appendMarkdown(`\n\n\`${key}\` = \`${value}\``);
  item.tooltip = tooltip;
  return item;
}

export function treeItemOf(node: NamespacesNode, active: ActiveScope | undefined, counts?: NamespaceCounts): vscode.TreeItem {
  return node.kind === 'endpoint' ? endpointItem(node.status) : namespaceItem(node.status, node.namespace, active, counts);
}

export class NamespacesTreeProvider implements vscode.TreeDataProvider<NamespacesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NamespacesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = new vscode.EventEmitter<readonly EndpointStatus[]>();
  /** Fires with each newest answer, after the tree has it. */
  readonly onDidLoad = this.loaded.event;
  private current: Promise<readonly EndpointStatus[]>;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<readonly EndpointStatus[]>,
    private readonly active: () => ActiveScope | undefined = () => undefined,
    private readonly counts: (address: string, namespace: string) => NamespaceCounts | undefined = () => undefined,
  ) {
    this.current = this.start();
  }

  /** Repaints the rows (the active namespace changed) without asking the daemons again. */
  repaint(): void {
    this.changed.fire(undefined);
  }

  /** Reloads from the daemons; the tree asks again once the new answer is in. */
  refresh(): Promise<readonly EndpointStatus[]> {
    this.current = this.start();
    this.changed.fire(undefined);
    return this.current;
  }

  /** The statuses the tree currently shows (waits for a load in flight). */
  statuses(): Promise<readonly EndpointStatus[]> {
    return this.current;
  }

  async getChildren(node?: NamespacesNode): Promise<NamespacesNode[]> {
    return childrenOf(await this.current, node);
  }

  getTreeItem(node: NamespacesNode): vscode.TreeItem {
    return treeItemOf(node, this.active(), node.kind === 'namespace' ? this.counts(node.status.endpoint.address, node.namespace.name) : undefined);
  }

  dispose(): void {
    this.changed.dispose();
    this.loaded.dispose();
  }

  private async start(): Promise<readonly EndpointStatus[]> {
    const generation = ++this.generation;
    const statuses = await this.load();
    // A newer refresh supersedes this one; only the newest answer reaches the UI state.
    if (generation === this.generation) this.loaded.fire(statuses);
    return statuses;
  }
}
