// The one way a command without a row finds its daemon and namespace: the explorer's chosen scope;
// when it shows all namespaces, the user picks one of that daemon's namespaces.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export interface Target {
  readonly address: string;
  readonly namespace: string;
}

export async function pickTarget(ctx: Ctx, purpose: string): Promise<Target | undefined> {
  const scope = ctx.scope.get();
  if (!scope) throw new Error(`No containerd endpoint is reachable to ${purpose}: check the Namespaces view.`);
  if (scope.namespace !== undefined) return { address: scope.address, namespace: scope.namespace };
  const status = ctx.endpoints.latest?.find((s) => s.endpoint.address === scope.address);
  const namespaces = status?.reachable ? status.namespaces.map((n) => n.name) : [];
  const picked = await vscode.window.showQuickPick(namespaces.length > 0 ? namespaces : ['default'], { title: `Namespace to ${purpose} (containerd at ${scope.address})` });
  return picked === undefined ? undefined : { address: scope.address, namespace: picked };
}
