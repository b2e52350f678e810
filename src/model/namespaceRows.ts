// The shape of the Namespaces tree, free of vscode so it is unit-tested without an editor.
import type { Namespace } from '../containerd/connection/client';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { ContainerdUnreachableError, type UnreachableReason } from '../containerd/connection/errors';

export type NamespacesNode =
  | { readonly kind: 'endpoint'; readonly status: EndpointStatus }
  | { readonly kind: 'namespace'; readonly status: EndpointStatus & { reachable: true }; readonly namespace: Namespace };

/** The value of the `containerd.connection` context key: `connected` or why the daemon is unreachable. */
export type ConnectionState = 'connected' | UnreachableReason;

export function connectionState(statuses: readonly EndpointStatus[]): ConnectionState {
  if (statuses.some((s) => s.reachable)) return 'connected';
  const first = statuses[0];
  if (first && !first.reachable && first.error instanceof ContainerdUnreachableError) return first.error.reason;
  return 'unknown';
}

function namespaceNodes(status: EndpointStatus): NamespacesNode[] {
  if (!status.reachable) return [];
  return status.namespaces.map((namespace) => ({ kind: 'namespace', status, namespace }));
}

export function childrenOf(statuses: readonly EndpointStatus[], node?: NamespacesNode): NamespacesNode[] {
  if (node?.kind === 'endpoint') return namespaceNodes(node.status);
  if (node) return [];
  const only = statuses.length === 1 ? statuses[0] : undefined;
  if (only) return namespaceNodes(only);
  return statuses.map((status) => ({ kind: 'endpoint', status }));
}
