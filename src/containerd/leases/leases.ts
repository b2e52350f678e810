// Leases over containerd's Leases service. A lease keeps what it references from garbage
// collection and from removal: BuildKit's build cache, a pull or unpack in progress, a mounted
// image (`ctr images mount`). Leases are namespaced, like what they hold.
import { protoDate, type ContainerdApi, type ProtoTimestamp } from '../connection/api';
import { isNotFound } from '../connection/errors';
import { mapLimit } from '../../model/mapLimit';

const service = 'containerd.services.leases.v1.Leases';

export interface Lease {
  readonly id: string;
  readonly createdAt?: Date;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a lease references: `type` is `content`, `ingests` or `snapshots/<snapshotter>`. */
export interface LeaseResource {
  readonly id: string;
  readonly type: string;
}

interface LeaseMessage { readonly id: string; readonly created_at: ProtoTimestamp | null; readonly labels: Record<string, string> }

export async function listLeases(api: ContainerdApi, namespace: string): Promise<Lease[]> {
  const method = api.methods.method<{ filters: string[] }, { leases: LeaseMessage[] }>(service, 'List');
  const res = await api.unary(method, { filters: [] }, namespace);
  return res.leases.map((l) => {
    const createdAt = protoDate(l.created_at);
    return { id: l.id, ...(createdAt ? { createdAt } : {}), labels: l.labels };
  });
}

/** The resources of one lease; [] for a lease that ended since it was listed. */
export async function leaseResources(api: ContainerdApi, namespace: string, id: string): Promise<LeaseResource[]> {
  const method = api.methods.method<{ id: string }, { resources: LeaseResource[] }>(service, 'ListResources');
  try {
    return (await api.unary(method, { id }, namespace)).resources.map(({ id: resource, type }) => ({ id: resource, type }));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/**
 * Whether a lease's labels reference the snapshot: containerd's GC follows
 * `containerd.io/gc.ref.snapshot.<snapshotter>` (and the same key with a `/<suffix>`).
 */
function labelsReference(labels: Readonly<Record<string, string>>, snapshotter: string, key: string): boolean {
  const prefix = `containerd.io/gc.ref.snapshot.${snapshotter}`;
  return Object.entries(labels).some(([name, value]) => value === key && (name === prefix || name.startsWith(`${prefix}/`)));
}

/** Ids of the leases holding a snapshot, as a resource or through a GC reference label. */
export async function leasesHoldingSnapshot(api: ContainerdApi, namespace: string, snapshotter: string, key: string): Promise<string[]> {
  const leases = await listLeases(api, namespace);
  const type = `snapshots/${snapshotter}`;
  // BuildKit keeps one lease per cache record: hundreds are usual, so a few calls at a time.
  const holding = await mapLimit(leases, 16, async (lease) => labelsReference(lease.labels, snapshotter, key)
    || (await leaseResources(api, namespace, lease.id)).some((r) => r.type === type && r.id === key));
  return leases.filter((_, i) => holding[i]).map((l) => l.id);
}
