// Asks every endpoint for its version and namespaces, side by side, and says per endpoint either
// what it holds or why it could not be reached. One slow daemon never hides the others.
import type { Namespace, VersionInfo } from './client';
import type { Connections } from './connections';
import type { Endpoint } from './endpoints';
import { ContainerdError, ContainerdUnreachableError, toContainerdError } from './errors';

export type EndpointStatus =
  | { readonly endpoint: Endpoint; readonly reachable: true; readonly version: VersionInfo; readonly namespaces: readonly Namespace[] }
  | { readonly endpoint: Endpoint; readonly reachable: false; readonly error: ContainerdError };

async function attempt(endpoint: Endpoint, connections: Connections): Promise<EndpointStatus> {
  try {
    const client = connections.get(endpoint.address);
    const [version, namespaces] = await Promise.all([client.version(), client.listNamespaces()]);
    const sorted = [...namespaces].sort((a, b) => a.name.localeCompare(b.name));
    return { endpoint, reachable: true, version, namespaces: sorted };
  } catch (error) {
    const typed = toContainerdError(error, endpoint.address, 'connect');
    // A failed channel sits in grpc-js's reconnect backoff; the next attempt should dial at once.
    if (typed instanceof ContainerdUnreachableError) connections.reset(endpoint.address);
    return { endpoint, reachable: false, error: typed };
  }
}

export async function readEndpointStatus(endpoint: Endpoint, connections: Connections): Promise<EndpointStatus> {
  const first = await attempt(endpoint, connections);
  // A connection that dropped under a restarted daemon fails once for no lasting reason: one more
  // try on a fresh channel tells a daemon that is back from one that is gone.
  if (!first.reachable && first.error instanceof ContainerdUnreachableError && first.error.reason === 'unknown') return attempt(endpoint, connections);
  return first;
}

export function readAllEndpointStatus(endpoints: readonly Endpoint[], connections: Connections): Promise<EndpointStatus[]> {
  return Promise.all(endpoints.map((endpoint) => readEndpointStatus(endpoint, connections)));
}
