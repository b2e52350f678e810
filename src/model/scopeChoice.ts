// Which endpoint and namespace the Images, Containers and Snapshots views show: the user's
// remembered choice while its daemon is still one we know, else a live default, said out loud.
import type { EndpointStatus } from '../containerd/connection/endpointStatus';

export interface Scope {
  readonly address: string;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
}

/** The namespace a fresh workspace starts with: the endpoint's customary one, then `default`. */
export function defaultScope(statuses: readonly EndpointStatus[]): Scope | undefined {
  const first = statuses.find((s) => s.reachable);
  if (!first?.reachable) return undefined;
  const names = first.namespaces.map((n) => n.name);
  const preferred = [first.endpoint.preferredNamespace, 'default'].find((n) => n !== undefined && names.includes(n));
  return { address: first.endpoint.address, namespace: preferred ?? names[0] };
}

export interface ScopeResolution {
  readonly scope: Scope | undefined;
  /** The remembered choice no longer applies: forget it. */
  readonly forgetChoice: boolean;
  /** Why the views show something other than what was chosen. */
  readonly notice?: string;
}

function describe(scope: Scope): string {
  return `${scope.namespace === undefined ? 'all namespaces' : `namespace "${scope.namespace}"`} of ${scope.address}`;
}

/**
 * The scope in force after a new endpoints answer. A chosen daemon that is merely down stays
 * chosen (its views say "disconnected" and come back with it); one that is no longer among the
 * endpoints at all (a rootless /proc/<pid>/... address after a reboot, an old setting), or a
 * namespace that no longer exists, falls back to a live default. With every daemon down there
 * is nothing better: the last scope stays.
 */
export function resolveScope(chosen: Scope | undefined, statuses: readonly EndpointStatus[], last: Scope | undefined): ScopeResolution {
  const fallback = defaultScope(statuses);
  if (!chosen) return { scope: fallback ?? last, forgetChoice: false };
  const status = statuses.find((s) => s.endpoint.address === chosen.address);
  if (!status) {
    if (!fallback) return { scope: chosen, forgetChoice: false };
    return { scope: fallback, forgetChoice: true, notice: `The remembered daemon ${chosen.address} is not among the known endpoints any more: showing ${describe(fallback)}.` };
  }
  if (!status.reachable || chosen.namespace === undefined || status.namespaces.some((n) => n.name === chosen.namespace)) {
    return { scope: chosen, forgetChoice: false };
  }
  const sameEndpoint = defaultScope([status]);
  const scope = sameEndpoint ?? fallback ?? chosen;
  return { scope, forgetChoice: true, notice: `Namespace "${chosen.namespace}" no longer exists on ${chosen.address}: showing ${describe(scope)}.` };
}

/** Commands and documents act only on daemons the extension itself found or was told of. */
export function isKnownEndpoint(statuses: readonly EndpointStatus[] | undefined, address: unknown): address is string {
  return typeof address === 'string' && (statuses ?? []).some((s) => s.endpoint.address === address);
}

export function sameScope(a: Scope | undefined, b: Scope | undefined): boolean {
  return a?.address === b?.address && a?.namespace === b?.namespace;
}
