// Entry point: builds the one context object and hands it to each feature. Nothing else.
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createCtx } from './ctx';
import { registerInspectDocuments, type InspectDocumentsApi } from './providers/inspectDocuments';
import { Explorer } from './views/explorer';
import { registerExplorerViews, type ExplorerTrees } from './views/explorerViews';
import type { NamespacesTreeProvider } from './views/namespacesTree';
import { NamespaceCountsStore, watchNamespaceCounts } from './views/namespaceCountsView';
import { registerNamespacesView } from './views/namespacesView';
import { ScopeStore } from './views/scope';

/** What activate() returns: the extension's own test suite reads the trees through it. */
export interface ExtensionApi extends ExplorerTrees {
  readonly namespaces: NamespacesTreeProvider;
  readonly explorer: Explorer;
  readonly scope: ScopeStore;
  readonly inspect: InspectDocumentsApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const ctx = createCtx(context);
  const scope = ctx.own(new ScopeStore(context.workspaceState));
  const counts = new NamespaceCountsStore();
  const namespaces = registerNamespacesView(ctx, scope, counts);
  const explorer = ctx.own(new Explorer(ctx, namespaces));
  watchNamespaceCounts(ctx, counts, namespaces, explorer);
  const trees = registerExplorerViews(ctx, explorer, scope);
  const inspect = registerInspectDocuments(ctx);
  registerCommands(ctx, { namespaces, scope, trees, inspect });
  return { namespaces, explorer, scope, inspect, ...trees };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
