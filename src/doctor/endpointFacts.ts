// Reads what the endpoint checks need from each reachable daemon: Introspection.Server, its
// snapshotters (with their directories) and the mounts of its own mount namespace. Each read may
// fail on its own; that is reported, never thrown.
import { parseAddress } from '../containerd/connection/address';
import type { ContainerdApi } from '../containerd/connection/api';
import type { EndpointStatus } from '../containerd/connection/endpointStatus';
import { readServerInfo, type ServerInfo } from '../containerd/connection/serverInfo';
import { listSnapshotters } from '../containerd/snapshots/snapshots';
import type { DaemonDetails, EndpointFacts } from './endpointChecks';
import { parseMountInfo } from './mountInfo';

export interface HostReads {
  readonly readText: (path: string) => Promise<string | undefined>;
  /** This process's PID namespace (the inode in /proc/self/ns/pid), to tell whether a daemon's pid means anything here. */
  readonly ourPidNamespace: number | undefined;
}

function failure(error: unknown): { failed: string } {
  return { failed: error instanceof Error ? error.message : String(error) };
}

/**
 * Whose mountinfo shows the daemon's file systems: RootlessKit's child for a socket reached
 * through /proc/CHILD/root (it shares containerd's mount namespace), the daemon itself when its pid
 * is one of ours, else our own (right for a daemon in the same mount namespace).
 */
export function mountInfoPath(address: string, server: ServerInfo | { failed: string }, ourPidNamespace: number | undefined): string {
  const parsed = parseAddress(address);
  const child = parsed.ok ? /^\/proc\/(\d+)\/root\//.exec(parsed.socketPath)?.[1] : undefined;
  if (child) return `/proc/${child}/mountinfo`;
  if (!('failed' in server) && server.implemented && server.pid !== undefined && server.pidns !== undefined && server.pidns === ourPidNamespace) {
    return `/proc/${server.pid}/mountinfo`;
  }
  return '/proc/self/mountinfo';
}

async function details(api: ContainerdApi, host: HostReads): Promise<DaemonDetails> {
  const [server, snapshotters] = await Promise.all([
    readServerInfo(api).catch(failure),
    listSnapshotters(api).catch(failure),
  ]);
  const from = mountInfoPath(api.address, server, host.ourPidNamespace);
  const text = await host.readText(from);
  return { server, snapshotters, ...(text !== undefined ? { mounts: { from, list: parseMountInfo(text) } } : {}) };
}

export async function readEndpointFacts(statuses: readonly EndpointStatus[], apiOf: (address: string) => ContainerdApi, host: HostReads): Promise<EndpointFacts[]> {
  return Promise.all(statuses.map(async (status) => (status.reachable ? { status, details: await details(apiOf(status.endpoint.address), host) } : { status })));
}

/** The inode of a `pid:[4026531836]` namespace link. */
export function namespaceInode(link: string | undefined): number | undefined {
  const inode = /^\w+:\[(\d+)\]$/.exec(link ?? '')?.[1];
  return inode === undefined ? undefined : Number(inode);
}
