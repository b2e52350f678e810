// The Namespaces view: the tree, its message when the daemon is unreachable, the
// `containerd.connection` context key the welcome content reads, the namespace counts, and the
// commands that pick the scope, refresh and set the address.
import * as vscode from 'vscode';
import { addressFromEnvironment, defaultAddress, parseAddress } from '../containerd/connection/address';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { errorWithAdvice } from '../containerd/connection/unreachableAdvice';
import { registerCommandTable } from '../commands/table';
import { writeAddress } from '../config';
import type { Ctx } from '../ctx';
import { isQuietAbsence, needingAttention, rememberAnswered } from '../model/endpointAttention';
import { connectionState } from '../model/namespaceRows';
import { isKnownEndpoint } from '../model/scopeChoice';
import { NamespaceCountsStore, watchNamespaceCounts } from './namespaceCountsView';
import { NamespacesTreeProvider } from './namespacesTree';

export const namespacesViewId = 'containerd.views.namespaces';
const answeredKey = 'containerd.answeredEndpoints';

function adviceLine(status: EndpointStatus & { reachable: false }): string {
  return errorWithAdvice(status.error, status.endpoint.address, process.getuid?.() === 0);
}

/**
 * A lone unreachable endpoint is explained by the welcome content (which needs an unset
 * `message` to show); the exact address and error go to the activity-bar badge's tooltip.
 */
function describe(view: vscode.TreeView<unknown>, statuses: readonly EndpointStatus[], answeredBefore: ReadonlySet<string>): void {
  const only = statuses.length === 1 ? statuses[0] : undefined;
  const unreachable = needingAttention(statuses, answeredBefore);
  view.message = undefined;
  view.description = only?.reachable ? `containerd ${only.version.version}` : only ? only.endpoint.address : undefined;
  view.badge = unreachable.length > 0
    ? { value: unreachable.length, tooltip: unreachable.map((s) => (s.reachable ? '' : adviceLine(s))).join('\n') }
    : undefined;
}

async function setAddress(ctx: Ctx): Promise<void> {
  const current = ctx.config().address ?? addressFromEnvironment(process.env) ?? defaultAddress;
  const value = await vscode.window.showInputBox({
    title: 'containerd address',
    prompt: 'Absolute path of containerd\'s socket, or unix:///path',
    value: current,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseAddress(text);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (value === undefined) return;
  await writeAddress(value.trim());
}

export function registerNamespacesView(ctx: Ctx): NamespacesTreeProvider {
  const counts = new NamespaceCountsStore();
  // Every address that ever answered, across windows: its absence later is news, not a guess.
  const answered = (): ReadonlySet<string> => new Set(ctx.extension.globalState.get<string[]>(answeredKey) ?? []);
  const provider = ctx.own(new NamespacesTreeProvider(ctx.endpoints, () => ctx.scope.get(), (address, namespace) => counts.get(address, namespace), (status) => isQuietAbsence(status, answered())));
  const view = ctx.own(vscode.window.createTreeView(namespacesViewId, { treeDataProvider: provider, showCollapseAll: false }));
  ctx.own(ctx.endpoints.onDidLoad((statuses) => {
    void vscode.commands.executeCommand('setContext', 'containerd.connection', connectionState(statuses));
    void vscode.commands.executeCommand('setContext', 'containerd.addressSource', statuses[0]?.endpoint.source);
    for (const s of statuses) {
      if (s.reachable) ctx.log.info(`${s.endpoint.address}: containerd ${s.version.version}, ${s.namespaces.length} namespaces`);
      else ctx.log.warn(s.error.message);
    }
    const before = answered();
    describe(view, statuses, before);
    const remembered = rememberAnswered([...before], statuses);
    if (remembered.length !== before.size) void ctx.extension.globalState.update(answeredKey, remembered);
    provider.repaint();
  }));
  ctx.own(ctx.scope.onDidChange(() => provider.repaint()));
  watchNamespaceCounts(ctx, counts, () => provider.repaint());
  if (!ctx.endpoints.latest) void ctx.endpoints.statuses();
  registerCommandTable(ctx, {
    // Re-reads every endpoint and every view; channels and event streams stay up.
    'containerd.namespaces.refresh': async () => {
      const statuses = await ctx.endpoints.refresh();
      for (const s of statuses) if (s.reachable) ctx.events.resync(s.endpoint.address);
      return statuses;
    },
    'containerd.endpoint.setAddress': () => setAddress(ctx),
    'containerd.namespaces.select': (address: unknown, namespace: unknown) => {
      if (!isKnownEndpoint(ctx.endpoints.latest, address) || typeof namespace !== 'string') return undefined;
      return ctx.scope.choose({ address, namespace });
    },
    'containerd.namespaces.showAll': () => {
      const current = ctx.scope.get();
      return current ? ctx.scope.choose({ address: current.address, namespace: undefined }) : undefined;
    },
  });
  return provider;
}
