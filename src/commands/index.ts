// The command table: id -> handler. Every command the extension contributes is registered here.
import * as vscode from 'vscode';
import { addressFromEnvironment, defaultAddress, parseAddress } from '../containerd/address';
import { writeAddress } from '../config';
import type { Ctx } from '../ctx';
import type { NamespacesTreeProvider } from '../views/namespacesTree';

export interface CommandDeps {
  readonly namespaces: NamespacesTreeProvider;
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
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'containerd.namespaces.refresh': () => {
      ctx.connections().closeAll();
      return deps.namespaces.refresh();
    },
    'containerd.endpoint.setAddress': () => setAddress(ctx),
  };
  for (const [id, handler] of Object.entries(table)) ctx.own(vscode.commands.registerCommand(id, handler));
}
