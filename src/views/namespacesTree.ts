// The Namespaces view: containerd namespaces per endpoint. With a single endpoint the namespaces
// are the top level; with several, each endpoint is a node (unreachable ones say why).
import * as vscode from 'vscode';
import type { Namespace } from '../containerd/connection/client';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { ContainerdUnreachableError, reasonText } from '../containerd/connection/errors';
import { errorWithAdvice } from '../containerd/connection/unreachableAdvice';
import { countsText, type NamespaceCounts } from '../containerd/namespaces/namespaceCounts';
import { childrenOf, type NamespacesNode } from '../model/namespaceRows';
import type { EndpointStatuses } from './endpointStatuses';
import { codeSpan, escapeMarkdown } from '../model/markdown';

function endpointItem(status: EndpointStatus, quiet: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(status.endpoint.label, status.reachable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `endpoint:${status.endpoint.address}`;
  if (status.reachable) {
    item.description = `containerd ${status.version.version}`;
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(status.endpoint.address)}**\n\ncontainerd ${escapeMarkdown(status.version.version)} (${escapeMarkdown(status.version.revision)})`);
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = 'endpoint.connected';
  } else if (quiet) {
    // Only guessed, never seen: shown so the user knows it was looked at, without alarm.
    item.description = 'not running here';
    item.tooltip = `Nothing listens at ${status.endpoint.address}, the default address (not configured, never seen answering). The other endpoints are the daemons on this machine.`;
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    item.contextValue = 'endpoint.absent';
  } else {
    const reason = status.error instanceof ContainerdUnreachableError ? reasonText[status.error.reason] : status.error.message;
    item.description = reason;
    item.tooltip = errorWithAdvice(status.error, status.endpoint.address, process.getuid?.() === 0, '\n\n');
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
  const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(namespace.name)}** on ${escapeMarkdown(status.endpoint.address)}`);
  for (const [key, value] of labels) tooltip.appendMarkdown(`\n\n${codeSpan(key)} = ${codeSpan(value)}`);
  item.tooltip = tooltip;
  return item;
}

export function treeItemOf(node: NamespacesNode, active: ActiveScope | undefined, counts?: NamespaceCounts, quiet = false): vscode.TreeItem {
  return node.kind === 'endpoint' ? endpointItem(node.status, quiet) : namespaceItem(node.status, node.namespace, active, counts);
}

export class NamespacesTreeProvider implements vscode.TreeDataProvider<NamespacesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NamespacesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly endpoints: EndpointStatuses,
    private readonly active: () => ActiveScope | undefined = () => undefined,
    private readonly counts: (address: string, namespace: string) => NamespaceCounts | undefined = () => undefined,
    /** An unreachable endpoint that is only a guess and absent: listed without alarm. */
    private readonly quiet: (status: EndpointStatus) => boolean = () => false,
  ) {
    // The tree asks again at once and waits for the read in flight.
    this.subscriptions = [endpoints.onDidStart(() => this.changed.fire(undefined))];
  }

  /** Repaints the rows (the active namespace changed, counts came in) without asking the daemons. */
  repaint(): void {
    this.changed.fire(undefined);
  }

  /** Reloads from the daemons. */
  refresh(): Promise<readonly EndpointStatus[]> {
    return this.endpoints.refresh();
  }

  /** The statuses the tree currently shows (waits for a load in flight). */
  statuses(): Promise<readonly EndpointStatus[]> {
    return this.endpoints.statuses();
  }

  async getChildren(node?: NamespacesNode): Promise<NamespacesNode[]> {
    return childrenOf(await this.endpoints.statuses(), node);
  }

  getTreeItem(node: NamespacesNode): vscode.TreeItem {
    return treeItemOf(node, this.active(), node.kind === 'namespace' ? this.counts(node.status.endpoint.address, node.namespace.name) : undefined, this.quiet(node.status));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
