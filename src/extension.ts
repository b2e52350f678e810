// Entry point: builds the one context object and hands it to each feature. Nothing else.
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createCtx } from './ctx';
import type { NamespacesTreeProvider } from './views/namespacesTree';
import { registerNamespacesView } from './views/namespacesView';

/** What activate() returns: the extension's own test suite reads the trees through it. */
export interface ExtensionApi {
  readonly namespaces: NamespacesTreeProvider;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const ctx = createCtx(context);
  const namespaces = registerNamespacesView(ctx);
  registerCommands(ctx, { namespaces });
  return { namespaces };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
