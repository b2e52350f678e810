// Wires the Namespaces tree into VS Code: the view, its message when the daemon is unreachable,
// the `containerd.connection` context key the welcome content reads, and reloads on new settings.
import * as vscode from 'vscode';
import { readAllEndpointStatus, type EndpointStatus } from '../containerd/endpointStatus';
import { discoverEndpoints, hostFiles } from '../containerd/endpoints';
import { ContainerdUnreachableError } from '../containerd/errors';
import { unreachableAdvice } from '../containerd/unreachableAdvice';
import type { Ctx } from '../ctx';
import { nerdctlTomlPath, parseNerdctlToml } from '../nerdctl/nerdctlToml';
import { connectionState } from './namespacesModel';
import { NamespacesTreeProvider } from './namespacesTree';
import type { NamespaceCountsStore } from './namespaceCountsView';
import type { ScopeStore } from './scope';

export const namespacesViewId = 'containerd.views.namespaces';

function adviceLine(status: EndpointStatus & { reachable: false }): string {
  if (!(status.error instanceof ContainerdUnreachableError)) return status.error.message;
  return `${status.error.message}. ${unreachableAdvice(status.error.reason, status.endpoint.address, process.getuid?.() === 0)}`;
}

/**
 * A lone unreachable endpoint is explained by the welcome content (which needs an unset
 * `message` to show); the exact address and error go to the activity-bar badge's tooltip.
 */
function describe(view: vscode.TreeView<unknown>, statuses: readonly EndpointStatus[]): void {
  const only = statuses.length === 1 ? statuses[0] : undefined;
  const unreachable = statuses.filter((s) => !s.reachable);
  view.message = undefined;
  view.description = only?.reachable ? `containerd ${only.version.version}` : only ? only.endpoint.address : undefined;
  view.badge = unreachable.length > 0
    ? { value: unreachable.length, tooltip: unreachable.map((s) => (s.reachable ? '' : adviceLine(s))).join('\n') }
    : undefined;
}

export function registerNamespacesView(ctx: Ctx, scope: ScopeStore, counts: NamespaceCountsStore): NamespacesTreeProvider {
  const load = async (): Promise<readonly EndpointStatus[]> => {
    const config = ctx.config();
    const nerdctlText = await hostFiles.readFile(nerdctlTomlPath(process.env, process.getuid?.() === 0));
    const nerdctl = nerdctlText === undefined ? undefined : parseNerdctlToml(nerdctlText);
    const endpoints = await discoverEndpoints({ configuredAddress: config.address, discovery: config.discovery, env: process.env, nerdctl, ...hostFiles });
    return readAllEndpointStatus(endpoints, ctx.connections());
  };
  const provider = ctx.own(new NamespacesTreeProvider(load, () => scope.get(), (address, namespace) => counts.get(address, namespace)));
  const view = ctx.own(vscode.window.createTreeView(namespacesViewId, { treeDataProvider: provider, showCollapseAll: false }));
  // Subscribed before the first load can finish (it needs I/O), so no answer is missed.
  ctx.own(provider.onDidLoad((statuses) => {
    void vscode.commands.executeCommand('setContext', 'containerd.connection', connectionState(statuses));
    void vscode.commands.executeCommand('setContext', 'containerd.addressSource', statuses[0]?.endpoint.source);
    for (const s of statuses) {
      if (s.reachable) ctx.log.info(`${s.endpoint.address}: containerd ${s.version.version}, ${s.namespaces.length} namespaces`);
      else ctx.log.warn(s.error.message);
    }
    describe(view, statuses);
    scope.updateFallback(statuses);
  }));
  ctx.own(scope.onDidChange(() => provider.repaint()));
  ctx.own(ctx.onDidChangeConfig(() => void provider.refresh()));
  return provider;
}
