// The command table: id -> handler. Every command the extension contributes is registered here.
import * as vscode from 'vscode';
import { addressFromEnvironment, defaultAddress, parseAddress } from '../containerd/address';
import { writeAddress } from '../config';
import type { Ctx } from '../ctx';
import type { InspectDocumentsApi } from '../providers/inspectDocuments';
import { explorerActions } from './explorerActions';
import type { ExplorerTrees } from '../views/explorerViews';
import type { NamespacesTreeProvider } from '../views/namespacesTree';
import type { ScopeStore } from '../views/scope';

export interface CommandDeps {
  readonly namespaces: NamespacesTreeProvider;
  readonly scope: ScopeStore;
  readonly trees: ExplorerTrees;
  readonly inspect: InspectDocumentsApi;
}

/** A failed command says why in a notification instead of failing silently. */
function reported(ctx: Ctx, id: string, handler: (...args: never[]) => unknown): (...args: never[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };
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

export function registerCommands(ctx: Ctx, deps: CommandDeps): void {
  const table: Record<string, (...args: never[]) => unknown> = {
    'containerd.namespaces.refresh': () => {
      ctx.connections().closeAll();
      return deps.namespaces.refresh();
    },
    'containerd.endpoint.setAddress': () => setAddress(ctx),
    'containerd.namespaces.select': (address: unknown, namespace: unknown) => {
      if (typeof address !== 'string' || typeof namespace !== 'string') return undefined;
      return deps.scope.choose({ address, namespace });
    },
    'containerd.namespaces.showAll': () => {
      const current = deps.scope.get();
      return current ? deps.scope.choose({ address: current.address, namespace: undefined }) : undefined;
    },
    'containerd.images.refresh': () => deps.trees.images.refreshAll(),
    'containerd.containers.refresh': () => deps.trees.containers.refreshAll(),
    'containerd.snapshots.refresh': () => deps.trees.snapshots.refreshAll(),
    ...explorerActions(ctx, deps.inspect),
  };
  for (const [id, handler] of Object.entries(table)) ctx.own(vscode.commands.registerCommand(id, reported(ctx, id, handler)));
}
