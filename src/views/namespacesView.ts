// Wires the Namespaces tree into VS Code: the view, its message when the daemon is unreachable,
// the `containerd.connection` context key the welcome content reads, and reloads on new settings.
import * as vscode from 'vscode';
import { readAllEndpointStatus, type EndpointStatus } from '../containerd/endpointStatus';
import { discoverEndpoints, hostFiles } from '../containerd/endpoints';
import type { Ctx } from '../ctx';
import { connectionState } from './namespacesModel';
import { NamespacesTreeProvider } from './namespacesTree';

export const namespacesViewId = 'containerd.views.namespaces';

function describe(view: vscode.TreeView<unknown>, statuses: readonly EndpointStatus[]): void {
  const only = statuses.length === 1 ? statuses[0] : undefined;
  view.message = only && !only.reachable ? only.error.message : undefined;
  view.description = only?.reachable ? `containerd ${only.version.version}` : undefined;
}

export function registerNamespacesView(ctx: Ctx): NamespacesTreeProvider {
  const load = async (): Promise<readonly EndpointStatus[]> => {
    const config = ctx.config();
    const endpoints = await discoverEndpoints({ configuredAddress: config.address, discovery: config.discovery, env: process.env, ...hostFiles });
    return readAllEndpointStatus(endpoints, ctx.connections());
  };
  const provider = ctx.own(new NamespacesTreeProvider(load));
  const view = ctx.own(vscode.window.createTreeView(namespacesViewId, { treeDataProvider: provider, showCollapseAll: false }));
  // Subscribed before the first load can finish (it needs I/O), so no answer is missed.
  ctx.own(provider.onDidLoad((statuses) => {
    void vscode.commands.executeCommand('setContext', 'containerd.connection', connectionState(statuses));
    for (const s of statuses) {
      if (s.reachable) ctx.log.info(`${s.endpoint.address}: containerd ${s.version.version}, ${s.namespaces.length} namespaces`);
      else ctx.log.warn(s.error.message);
    }
    describe(view, statuses);
  }));
  ctx.own(ctx.onDidChangeConfig(() => void provider.refresh()));
  return provider;
}
