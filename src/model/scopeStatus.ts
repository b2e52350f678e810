// What the status bar says about the explorer's scope, and the choices its picker offers: every
// reachable endpoint's namespaces (and "all namespaces"), the unreachable ones with why.
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import type { Scope } from './scopeChoice';

export interface ScopeStatusText {
  readonly text: string;
  readonly tooltip: string;
  /** Nothing answers: the item shows as an error. */
  readonly problem: boolean;
}

function endpointName(status: EndpointStatus | undefined, address: string): string {
  return status?.endpoint.label ?? address;
}

export function scopeStatusText(scope: Scope | undefined, statuses: readonly EndpointStatus[] | undefined): ScopeStatusText {
  if (statuses === undefined) return { text: '$(sync~spin) containerd', tooltip: 'Connecting to containerd…', problem: false };
  if (!statuses.some((s) => s.reachable) || scope === undefined) {
    return { text: '$(error) containerd: not reachable', tooltip: `No containerd endpoint answers (${statuses.map((s) => s.endpoint.address).join(', ') || 'none found'}). Click to pick one or run the doctor.`, problem: true };
  }
  const status = statuses.find((s) => s.endpoint.address === scope.address);
  const namespace = scope.namespace ?? 'all namespaces';
  const version = status?.reachable ? `containerd ${status.version.version}` : 'not answering now';
  return {
    text: `$(server-environment) ${endpointName(status, scope.address)} · ${namespace}`,
    tooltip: `Explorer scope: ${scope.namespace === undefined ? 'all namespaces' : `namespace ${scope.namespace}`} of ${scope.address} (${version}). Click to switch.`,
    problem: status !== undefined && !status.reachable,
  };
}

export type ScopeChoiceItem =
  | { readonly kind: 'scope'; readonly label: string; readonly description: string; readonly scope: Scope; readonly current: boolean }
  | { readonly kind: 'unreachable'; readonly label: string; readonly description: string; readonly address: string };

/** The picker's items, endpoint by endpoint: its namespaces, then all of them; the current one marked. */
export function scopeChoices(statuses: readonly EndpointStatus[], current: Scope | undefined): ScopeChoiceItem[] {
  return statuses.flatMap((status): ScopeChoiceItem[] => {
    const { address, label } = status.endpoint;
    const where = label === address ? address : `${label} · ${address}`;
    if (!status.reachable) return [{ kind: 'unreachable', label: `$(error) ${label}`, description: `${address}: ${status.error.message}`, address }];
    const scopes: Scope[] = [...status.namespaces.map((n) => ({ address, namespace: n.name })), { address, namespace: undefined }];
    return scopes.map((scope) => ({
      kind: 'scope',
      label: scope.namespace ?? 'all namespaces',
      description: where,
      scope,
      current: current !== undefined && current.address === scope.address && current.namespace === scope.namespace,
    }));
  });
}
